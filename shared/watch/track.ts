/**
 * `track`: register each operation write-once, then check it, and while it is
 * in progress keep checking it (backing off from 2 s to the follow interval)
 * until it ends or the work deadline, so it is announced within seconds of
 * ending instead of at the next sweep.
 *
 * `track` never writes the index (so it never contends with a sweep); it
 * leaves a registration that the next sweep merges. When the immediate check
 * finds the operation already ended and announces it (through the same claims
 * as the sweep, so a racing sweep cannot announce it a second time), the
 * registration is deleted: there is nothing left for the sweep to do. If the
 * delete is lost, the sweep fetches the operation once and the claim tells it
 * the announcement was made.
 */
import { forEachBounded } from "../concurrency/semaphore.js";
import { describeError } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import type { Announcement } from "../notify/announcement.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { type AnnouncementFilter, shouldAnnounce } from "./announcement-filter.js";
import type { AnnounceOutcome, Announcer } from "./announcer.js";
import { isTerminalStatus } from "./operation.js";
import type { OperationSource } from "./operation-source.js";
import type { RegistrationStore } from "./registration-store.js";
import { rethrowCrash, type StepHooks, step } from "./step-hooks.js";
import type { TrackTarget } from "./track-request.js";
import { WatchError } from "./watch-errors.js";

export interface TrackDeps {
  readonly source: OperationSource;
  readonly registrations: RegistrationStore;
  readonly announcer: Announcer;
  readonly filter: AnnouncementFilter;
  readonly clock: Clock;
  readonly aidpConcurrency: number;
  /** Longest wait between checks of an operation still in progress; 0 or absent = check once. */
  readonly followIntervalMs?: number;
  readonly logger?: Logger;
  readonly hooks?: StepHooks;
}

export interface TrackResult {
  readonly aiDataPlatformId: string;
  readonly asyncOperationKey: string;
  /** `created`, or `exists` (a duplicate request: harmless). */
  readonly registration: "created" | "exists";
  /** The status the last check saw; `NOT_FOUND` for a 404 (not followed: the sweep decides); absent when no check ran or succeeded. */
  readonly status?: string;
  /** What happened to the announcement when the operation had already ended. */
  readonly announcement?: AnnounceOutcome | "suppressed";
  readonly error?: string;
}

export class RegistrationFailedError extends WatchError {}

export async function trackOperations(
  targets: readonly TrackTarget[],
  deps: TrackDeps,
  deadlines: { work: Deadline; hard: Deadline },
): Promise<{ results: TrackResult[]; published: number; checks: number }> {
  const logger = deps.logger ?? silentLogger;
  const now = () => deps.clock.now();

  // 1. Register (write-once). All or nothing for the caller: a failure fails
  // the invocation so Events / CI retry — harmless, registrations are idempotent.
  const registered = await forEachBounded(targets, deps.aidpConcurrency, async (t) => {
    const r = await deps.registrations.register(
      {
        platformId: t.platformId,
        asyncOperationKey: t.asyncOperationKey,
        registeredAt: new Date(now()).toISOString(),
        via: t.eventId ? `event:${t.eventId}` : t.via,
      },
      deadlines.hard,
    );
    step(deps.hooks, "register", t.asyncOperationKey);
    return r;
  });
  const failures = registered.flatMap((r, i) => (r.started && !r.ok ? [{ r, t: targets[i]! }] : []));
  for (const f of failures) if (f.r.started && !f.r.ok) rethrowCrash(f.r.error);
  if (failures.length > 0) {
    const first = failures[0]!;
    throw new RegistrationFailedError(`could not register ${failures.length} of ${targets.length} operation(s); retry the request`, {
      cause: first.r.started && !first.r.ok ? first.r.error : undefined,
      context: { platformId: first.t.platformId, operationKey: first.t.asyncOperationKey },
    });
  }
  const results: MutableResult[] = targets.map((t, i) => {
    const r = registered[i]!;
    return { aiDataPlatformId: t.platformId, asyncOperationKey: t.asyncOperationKey, registration: r.started && r.ok ? r.value : "exists" };
  });

  // 2–4. Check, announce what ended, drop its registration; while some are
  // still in progress, check again (only those), backing off from 2 s to the
  // follow interval, until they end or the work deadline. What this call
  // cannot see end stays registered: the sweep takes it over, as always.
  let open = targets.map((_, i) => i);
  let published = 0;
  let checks = 0;
  const followMs = deps.followIntervalMs ?? 0;
  let waitMs = Math.min(FIRST_FOLLOW_DELAY_MS, followMs);
  for (;;) {
    checks++;
    const round = await checkRound(open, targets, results, deps, deadlines, logger);
    published += round.published;
    open = round.stillOpen;
    if (open.length === 0 || followMs <= 0) break;
    // No check starts that could not come back before the work deadline.
    if (deadlines.work.remainingMs() < waitMs + MIN_CHECK_MS) break;
    await deps.clock.sleep(waitMs);
    waitMs = nextFollowDelayMs(waitMs, followMs);
  }
  return { results, published, checks };
}

/** First wait before checking a followed operation again. */
export const FIRST_FOLLOW_DELAY_MS = 2000;
/** Time kept for one check (a GET, an announcement) when deciding to wait for another. */
const MIN_CHECK_MS = 1000;

/** 2 s, 4 s, 8 s… up to the follow interval. */
export function nextFollowDelayMs(previousMs: number, followIntervalMs: number): number {
  return Math.min(previousMs * 2, followIntervalMs);
}

type MutableResult = { -readonly [K in keyof TrackResult]: TrackResult[K] };

/** One check of the `open` targets; returns those still in progress (or whose check failed: tried again). */
async function checkRound(
  open: readonly number[],
  targets: readonly TrackTarget[],
  results: MutableResult[],
  deps: TrackDeps,
  deadlines: { work: Deadline; hard: Deadline },
  logger: Logger,
): Promise<{ stillOpen: number[]; published: number }> {
  const now = () => deps.clock.now();
  const checks = await forEachBounded(
    open,
    deps.aidpConcurrency,
    async (i) => {
      const t = targets[i]!;
      const r = await deps.source.get(t.platformId, t.asyncOperationKey, { deadline: deadlines.work });
      step(deps.hooks, "fetch", t.asyncOperationKey);
      return r;
    },
    () => !deadlines.work.expired,
  );
  const stillOpen: number[] = [];
  const due: Array<{ index: number; announcement: Announcement }> = [];
  const suppressed: number[] = [];
  checks.forEach((c, j) => {
    const i = open[j]!;
    const res = results[i]!;
    if (!c.started) return;
    if (!c.ok) {
      rethrowCrash(c.error);
      res.error = describeError(c.error);
      logger.warn("checking a tracked operation failed; checked again, else the sweep will", {
        operationKey: res.asyncOperationKey,
        error: c.error,
      });
      stillOpen.push(i);
      return;
    }
    delete res.error;
    if (c.value.kind === "not-found") {
      res.status = "NOT_FOUND";
      return;
    }
    const op = c.value.op;
    res.status = op.status;
    if (!isTerminalStatus(op.status)) {
      stillOpen.push(i);
      return;
    }
    if (!shouldAnnounce(deps.filter, op.status, op)) {
      res.announcement = "suppressed";
      suppressed.push(i);
      return;
    }
    due.push({
      index: i,
      announcement: {
        platformId: res.aiDataPlatformId,
        status: op.status,
        operation: op,
        opcRequestIds: c.value.opcRequestId ? [c.value.opcRequestId] : [],
        decidedAtMs: now(),
      },
    });
  });

  // Announce what ended, through the shared claims and budget.
  const report = await deps.announcer.announce(
    due.map((d) => d.announcement),
    deadlines,
  );
  const done: number[] = [...suppressed];
  report.outcomes.forEach((outcome, j) => {
    const d = due[j]!;
    results[d.index]!.announcement = outcome;
    if (outcome === "published" || outcome === "already") done.push(d.index);
  });

  // Nothing left for the sweep: drop those registrations (best effort).
  for (const i of done) {
    const t = targets[i]!;
    try {
      await deps.registrations.remove(t.platformId, t.asyncOperationKey, deadlines.hard);
      step(deps.hooks, "delete-registration", t.asyncOperationKey);
    } catch (err) {
      rethrowCrash(err);
      logger.info("could not delete a settled registration; the next sweep will", { operationKey: t.asyncOperationKey, error: err });
    }
  }
  return { stillOpen, published: report.messages };
}
