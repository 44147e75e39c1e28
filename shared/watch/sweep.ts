/**
 * One sweep over every configured platform. Per platform:
 *
 *   read index ─ list registrations ─ list IN_PROGRESS (all pages) ─ catch-up listings
 *   ─ plan (pure) ─ fetch what left the list (bounded, until the work deadline)
 *   ─ announce (claims + budget) ─ save index (if-match, re-apply on 412) ─ delete registrations
 *
 * Calls per sweep: 1 index read + 1 index write + 1 registration list
 * (Object Storage), list pages (AIDP), one fetch per operation that changed
 * (AIDP), and per announcement 2 claim writes (Object Storage) + 1 publish
 * (ONS) — growing with changes, not with the number tracked.
 *
 * Crash safety, step by step (the claim protocol in claim-store.ts is the
 * dedupe authority; the index is only the work list):
 * - before "save index": nothing this sweep learnt is kept except claims. The
 *   rerun reads the old index, sees the same operations missing from the
 *   in-progress list, fetches them again, and the claims tell it what was
 *   already published (no duplicate) or is still to be (no loss). The old
 *   watermark stays, so catch-up looks back far enough.
 * - after "save index", before "delete registrations": the registrations are
 *   merged again (a no-op) and deleted by the rerun.
 * - inside announcing: see claim-store.ts; the only duplicate window is a
 *   crash between ONS accepting a message and the claim's "published" write.
 */
import { IN_PROGRESS, TERMINAL_ASYNC_OPERATION_STATUSES } from "../aidp/aidp-enums.js";
import { forEachBounded } from "../concurrency/semaphore.js";
import { describeError } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import type { AnnouncementFilter } from "./announcement-filter.js";
import type { Announcer } from "./announcer.js";
import { applyChanges, type IndexChange } from "./index-changes.js";
import type { IndexStore, LoadedIndex } from "./index-store.js";
import { parseTime } from "./operation.js";
import type { OperationSource } from "./operation-source.js";
import type { RegistrationStore } from "./registration-store.js";
import {
  announcedChange,
  decideFetch,
  type FetchOutcome,
  nextWatermark,
  type Observed,
  planAnnouncements,
  planDiscovery,
} from "./sweep-decisions.js";
import { rethrowCrash, type StepHooks, step } from "./step-hooks.js";
import { toAnnouncement } from "./to-announcement.js";
import type { WatchRules } from "./watch-rules.js";

export interface SweepDeps {
  readonly source: OperationSource;
  readonly indexStore: IndexStore;
  readonly registrations: RegistrationStore;
  readonly announcer: Announcer;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly hooks?: StepHooks;
}

export interface SweepSettings {
  readonly platformIds: readonly string[];
  readonly rules: WatchRules;
  readonly filter: AnnouncementFilter;
  /** `AIDP_WATCH_RESOURCE_TYPES`: one value is passed to the list API, several are filtered here. */
  readonly resourceTypes: readonly string[];
  readonly filterByCallingPrincipal: boolean;
  readonly aidpConcurrency: number;
  /** @default 1000 (the API maximum: fewest pages) */
  readonly inProgressPageSize?: number;
  /** @default 1000 (usually one page; fewer calls when many operations ended) */
  readonly catchUpPageSize?: number;
}

export interface PlatformSweepSummary {
  readonly platformId: string;
  readonly discovered: number;
  readonly tracked: number;
  readonly changed: number;
  readonly fetched: number;
  readonly announced: number;
  readonly published: number;
  readonly digests: number;
  readonly pending: number;
  readonly failed: number;
  readonly complete: boolean;
  readonly error?: string;
}

export interface SweepSummary {
  readonly discovered: number;
  readonly tracked: number;
  readonly changed: number;
  /** ONS messages sent (a digest counts once). */
  readonly published: number;
  readonly failed: number;
  readonly durationMs: number;
  /** False when the deadline or an error cut some work short (the next sweep resumes). */
  readonly complete: boolean;
  readonly platforms: PlatformSweepSummary[];
}

interface Listing {
  readonly items: Observed[];
  readonly complete: boolean;
}

export async function runSweep(
  deps: SweepDeps,
  settings: SweepSettings,
  deadlines: { work: Deadline; hard: Deadline },
): Promise<SweepSummary> {
  const started = deps.clock.now();
  const platforms: PlatformSweepSummary[] = [];
  for (const platformId of settings.platformIds) {
    if (deadlines.work.expired) {
      platforms.push(emptySummary(platformId, false, "not started: work deadline reached"));
      continue;
    }
    try {
      platforms.push(await sweepPlatform(deps, settings, platformId, deadlines));
    } catch (err) {
      rethrowCrash(err);
      (deps.logger ?? silentLogger).error("sweeping a platform failed; the next sweep retries", { platformId, error: err });
      platforms.push(emptySummary(platformId, false, describeError(err)));
    }
  }
  const sum = (k: "discovered" | "tracked" | "changed" | "published" | "failed") => platforms.reduce((n, p) => n + p[k], 0);
  return {
    discovered: sum("discovered"),
    tracked: sum("tracked"),
    changed: sum("changed"),
    published: sum("published"),
    failed: sum("failed"),
    durationMs: deps.clock.now() - started,
    complete: platforms.every((p) => p.complete),
    platforms,
  };
}

function emptySummary(platformId: string, complete: boolean, error?: string): PlatformSweepSummary {
  return {
    platformId,
    discovered: 0,
    tracked: 0,
    changed: 0,
    fetched: 0,
    announced: 0,
    published: 0,
    digests: 0,
    pending: 0,
    failed: error ? 1 : 0,
    complete,
    ...(error ? { error } : {}),
  };
}

async function sweepPlatform(
  deps: SweepDeps,
  settings: SweepSettings,
  platformId: string,
  deadlines: { work: Deadline; hard: Deadline },
): Promise<PlatformSweepSummary> {
  const { clock, hooks } = deps;
  const logger = (deps.logger ?? silentLogger).child({ platformId });
  const iso = (ms: number) => new Date(ms).toISOString();
  let failed = 0;

  const loaded: LoadedIndex = await deps.indexStore.load(platformId, iso(clock.now()), deadlines.hard);
  step(hooks, "read-index", platformId);
  const firstSweep = loaded.etag === undefined;

  let registrations: string[] = [];
  try {
    registrations = await deps.registrations.list(platformId, deadlines.work);
  } catch (err) {
    failed++;
    logger.warn("listing registrations failed; they are merged next sweep", { error: err });
  }
  step(hooks, "list-registrations", platformId);

  const listingStart = clock.now();
  const serverResourceType = settings.resourceTypes.length === 1 ? settings.resourceTypes[0] : undefined;
  const wantedType = (t: string) => settings.resourceTypes.length <= 1 || settings.resourceTypes.includes(t);
  // Catch-up: operations that started and ended between two sweeps were never
  // in progress at a listing. Listed newest first, down to the watermark. All
  // four listings run side by side (they are independent reads).
  const watermarkMs = parseTime(loaded.index.watermark) ?? 0;
  const [first, ...catchUps] = await Promise.all([
    listAll(deps, settings, platformId, IN_PROGRESS, serverResourceType, undefined, deadlines.work, logger),
    ...(firstSweep
      ? []
      : TERMINAL_ASYNC_OPERATION_STATUSES.map((status) =>
          listAll(deps, settings, platformId, status, serverResourceType, watermarkMs, deadlines.work, logger),
        )),
  ]);
  const inProgress: Listing = first!;
  if (!inProgress.complete) failed++;
  step(hooks, "list-in-progress", platformId);
  const terminal: Observed[] = [];
  let catchUpComplete = !firstSweep;
  for (const listing of catchUps) {
    terminal.push(...listing.items);
    if (!listing.complete) {
      catchUpComplete = false;
      failed++;
    }
  }
  if (!firstSweep) step(hooks, "list-terminal", platformId);

  const plan = planDiscovery({
    index: loaded.index,
    inProgress: inProgress.items.filter((o) => wantedType(o.op.resourceType)),
    inProgressComplete: inProgress.complete,
    registrations,
    terminalListed: terminal.filter((o) => wantedType(o.op.resourceType)),
    nowMs: clock.now(),
    filter: settings.filter,
  });
  const changes: IndexChange[] = [...plan.changes];
  let working = applyChanges(loaded.index, changes);

  // Fetch only what left the in-progress list (and new registrations / catch-up finds).
  let changed = plan.caughtUp;
  let fetched = 0;
  const fetches = await forEachBounded(
    plan.toFetch,
    settings.aidpConcurrency,
    async (key): Promise<FetchOutcome> => {
      const result = await deps.source.get(platformId, key, { deadline: deadlines.work });
      step(hooks, "fetch", key);
      return result.kind === "found"
        ? { kind: "found", op: result.op, opcRequestId: result.opcRequestId }
        : { kind: "not-found", opcRequestId: result.opcRequestId };
    },
    () => !deadlines.work.expired,
  );
  fetches.forEach((r, i) => {
    const key = plan.toFetch[i]!;
    const entry = working.operations[key];
    if (!r.started || !entry) return;
    fetched++;
    let outcome: FetchOutcome;
    if (r.ok) outcome = r.value;
    else {
      rethrowCrash(r.error);
      failed++;
      logger.warn("fetching an operation failed; retried next sweep", { operationKey: key, error: r.error });
      outcome = { kind: "error" };
    }
    const change = decideFetch(entry, outcome, clock.now(), settings.rules);
    if (change) {
      changes.push(change);
      if (change.kind === "upsert" && change.entry.pending !== undefined && entry.pending === undefined) changed++;
    }
  });
  if (fetches.some((r) => !r.started)) logger.info("work deadline reached; remaining fetches wait for the next sweep");
  working = applyChanges(loaded.index, changes);

  // Announce.
  const now = clock.now();
  const { due, suppressed } = planAnnouncements(working, now, settings.rules, settings.filter);
  changed += due.filter((a) => a.status === "GAVE_UP" || a.status === "STILL_RUNNING").length;
  for (const a of suppressed) changes.push(announcedChange(a, now));
  const report = await deps.announcer.announce(
    due.map((a) => toAnnouncement(platformId, a.entry, a.status, now)),
    deadlines,
  );
  let announced = suppressed.length;
  report.outcomes.forEach((outcome, i) => {
    if (outcome === "published" || outcome === "already") {
      changes.push(announcedChange(due[i]!, clock.now()));
      announced++;
    }
  });
  failed += report.failures;

  // The watermark moves only when both listings were complete: an operation
  // started before the new watermark was then either in progress at this
  // listing (now tracked) or ended before it (found by this catch-up).
  const complete = inProgress.complete && catchUpComplete && fetches.every((r) => r.started);
  if (!firstSweep && inProgress.complete && catchUpComplete)
    changes.push({ kind: "watermark", iso: nextWatermark(listingStart, settings.rules) });

  const saved = await deps.indexStore.save(platformId, loaded, changes, iso(clock.now()), deadlines.hard);
  step(hooks, "save-index", platformId);

  for (const key of registrations) {
    if (deadlines.hard.expired) break;
    try {
      await deps.registrations.remove(platformId, key, deadlines.hard);
      step(hooks, "delete-registration", key);
    } catch (err) {
      rethrowCrash(err);
      logger.warn("could not delete a merged registration; the next sweep does", { operationKey: key, error: err });
    }
  }

  const pending = Object.values(saved.index.operations).filter((e) => e.pending !== undefined).length;
  return {
    platformId,
    discovered: plan.discovered,
    tracked: Object.keys(saved.index.operations).length,
    changed,
    fetched,
    announced,
    published: report.messages,
    digests: report.digests,
    pending,
    failed,
    complete: complete && pending === 0,
  };
}

async function listAll(
  deps: SweepDeps,
  settings: SweepSettings,
  platformId: string,
  status: string,
  resourceType: string | undefined,
  stopBeforeMs: number | undefined,
  deadline: Deadline,
  logger: Logger,
): Promise<Listing> {
  const items: Observed[] = [];
  const catchUp = stopBeforeMs !== undefined;
  try {
    const pages = deps.source.listPages(
      platformId,
      {
        status,
        resourceType,
        filterByCallingPrincipal: settings.filterByCallingPrincipal,
        sortOrder: "DESC",
        limit: catchUp ? (settings.catchUpPageSize ?? 1000) : (settings.inProgressPageSize ?? 1000),
      },
      { deadline },
    );
    for await (const page of pages) {
      let reachedWatermark = false;
      for (const op of page.items) {
        const startedMs = parseTime(op.timeStarted);
        if (catchUp && startedMs !== undefined && startedMs < stopBeforeMs) {
          reachedWatermark = true;
          continue;
        }
        items.push({ op, opcRequestId: page.opcRequestId });
      }
      if (reachedWatermark) break;
      if (deadline.expired) return { items, complete: false };
    }
    return { items, complete: true };
  } catch (err) {
    rethrowCrash(err);
    logger.warn("listing operations failed; nothing is inferred from this listing", { status, error: err });
    return { items, complete: false };
  }
}
