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
import { rethrowCrash, type SweepHooks, step } from "./sweep-hooks.js";
import type { TrackTarget } from "./track-request.js";
import { WatchError } from "./watch-errors.js";

/**
 * `track`: register each operation write-once, then check it once so a short
 * operation is announced within seconds instead of at the next sweep.
 *
 * `track` never writes the index (so it never contends with a sweep); it
 * leaves a registration that the next sweep merges. When the immediate check
 * finds the operation already ended and announces it (through the same claims
 * as the sweep, so a racing sweep cannot announce it a second time), the
 * registration is deleted: there is nothing left for the sweep to do. If the
 * delete is lost, the sweep fetches the operation once and the claim tells it
 * the announcement was made.
 */
export interface TrackDeps {
  readonly source: OperationSource;
  readonly registrations: RegistrationStore;
  readonly announcer: Announcer;
  readonly filter: AnnouncementFilter;
  readonly clock: Clock;
  readonly aidpConcurrency: number;
  readonly logger?: Logger;
  readonly hooks?: SweepHooks;
}

export interface TrackResult {
  readonly aiDataPlatformId: string;
  readonly asyncOperationKey: string;
  /** `created`, or `exists` (a duplicate request: harmless). */
  readonly registration: "created" | "exists";
  /** The status the immediate check saw; `NOT_FOUND` for a 404; absent when the check did not run or failed. */
  readonly status?: string;
  /** What happened to the announcement when the operation had already ended. */
  readonly announcement?: AnnounceOutcome | "suppressed";
  readonly error?: string;
}

export class RegistrationFailedError extends WatchError {}

export async function trackOperations(targets: readonly TrackTarget[], deps: TrackDeps, deadlines: { work: Deadline; hard: Deadline }): Promise<{ results: TrackResult[]; published: number }> {
  const logger = deps.logger ?? silentLogger;
  const now = () => deps.clock.now();

  // 1. Register (write-once). All or nothing for the caller: a failure fails
  // the invocation so Events / CI retry — harmless, registrations are idempotent.
  const registered = await forEachBounded(targets, deps.aidpConcurrency, async (t) => {
    const r = await deps.registrations.register(
      { platformId: t.platformId, asyncOperationKey: t.asyncOperationKey, registeredAt: new Date(now()).toISOString(), via: t.eventId ? `event:${t.eventId}` : t.via },
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
  const results: Array<{ -readonly [K in keyof TrackResult]: TrackResult[K] }> = targets.map((t, i) => {
    const r = registered[i]!;
    return { aiDataPlatformId: t.platformId, asyncOperationKey: t.asyncOperationKey, registration: r.started && r.ok ? r.value : "exists" };
  });

  // 2. Check once.
  const checks = await forEachBounded(
    targets,
    deps.aidpConcurrency,
    async (t) => {
      const r = await deps.source.get(t.platformId, t.asyncOperationKey, { deadline: deadlines.work });
      step(deps.hooks, "fetch", t.asyncOperationKey);
      return r;
    },
    () => !deadlines.work.expired,
  );
  const due: Array<{ index: number; announcement: Announcement }> = [];
  const suppressed: number[] = [];
  checks.forEach((c, i) => {
    const res = results[i]!;
    if (!c.started) return;
    if (!c.ok) {
      rethrowCrash(c.error);
      res.error = describeError(c.error);
      logger.warn("checking a tracked operation failed; the sweep will", { operationKey: res.asyncOperationKey, error: c.error });
      return;
    }
    if (c.value.kind === "not-found") {
      res.status = "NOT_FOUND";
      return;
    }
    const op = c.value.op;
    res.status = op.status;
    if (!isTerminalStatus(op.status)) return;
    if (!shouldAnnounce(deps.filter, op.status, op)) {
      res.announcement = "suppressed";
      suppressed.push(i);
      return;
    }
    due.push({
      index: i,
      announcement: { platformId: res.aiDataPlatformId, status: op.status, operation: op, opcRequestIds: c.value.opcRequestId ? [c.value.opcRequestId] : [], decidedAtMs: now() },
    });
  });

  // 3. Announce what already ended, through the shared claims and budget.
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

  // 4. Nothing left for the sweep: drop those registrations (best effort).
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
  return { results, published: report.messages };
}
