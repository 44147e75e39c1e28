/**
 * Keep sweeping while there is something to watch. A scheduler cannot tick
 * faster than once a minute (OCI Resource Scheduler), so one `poll`
 * invocation that finds operations in progress sweeps again every
 * `intervalMs` until its work deadline: a terminal state is then announced
 * within about one interval of happening instead of one schedule period. A
 * sweep that finds nothing in progress ends the invocation, so an idle
 * platform costs one sweep per tick, as before.
 *
 * Each sweep is whole on its own (reads the index, saves it, takes claims),
 * so stopping between two sweeps loses nothing, and an overlapping invocation
 * (the next tick starting while this one still runs) is as safe as two
 * overlapping ticks always were.
 *
 * Exits:
 * - `idle`: the last sweep left nothing in progress and nothing pending.
 * - `deadline`: the next sweep could not finish before the work deadline
 *   (what remains is less than the longest sweep so far, at least `minSweepMs`).
 * - `once`: `intervalMs` is 0 (looping off).
 *
 * A platform whose sweep failed outright (index unreadable…) tells nothing
 * about what is in progress there: it keeps the loop going if it was active
 * at the previous sweep. Sweeps that report failures space out (the interval
 * doubles per consecutive failing sweep, up to `maxBackoffMs`) so a service
 * that is down is not hammered for the rest of the invocation.
 */
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import type { PlatformSweepSummary, SweepSummary } from "./sweep.js";

export interface SweepLoopOptions {
  readonly sweep: () => Promise<SweepSummary>;
  readonly clock: Clock;
  /** Work deadline: no sweep starts that could not finish before it. */
  readonly deadline: Deadline;
  /** Start-to-start spacing of sweeps; 0 = one sweep. */
  readonly intervalMs: number;
  /** Least time a sweep is assumed to take when deciding to start one. @default 1000 */
  readonly minSweepMs?: number;
  /** Longest wait between sweeps while they keep failing. @default max(intervalMs, 60 s) */
  readonly maxBackoffMs?: number;
  /** Called after each sweep, awaited before the loop goes on (logging, work done once after the first sweep). */
  readonly onSweep?: (summary: SweepSummary, index: number) => void | Promise<void>;
}

export type LoopExit = "idle" | "deadline" | "once";

export interface SweepLoopResult {
  readonly sweeps: number;
  readonly exit: LoopExit;
  /** Every sweep's summary, in order. */
  readonly summaries: readonly SweepSummary[];
}

/** Platforms of this sweep with operations in progress or announcements pending. */
export function activePlatforms(summary: SweepSummary, previouslyActive: ReadonlySet<string>): Set<string> {
  const active = new Set<string>();
  for (const p of summary.platforms) if (isActive(p, previouslyActive)) active.add(p.platformId);
  return active;
}

function isActive(p: PlatformSweepSummary, previouslyActive: ReadonlySet<string>): boolean {
  if (p.error !== undefined && p.tracked === 0) return previouslyActive.has(p.platformId);
  return p.tracked > 0 || p.pending > 0;
}

/** Wait before the next sweep: the interval, doubled per consecutive failing sweep, capped. */
export function nextSpacingMs(intervalMs: number, consecutiveFailures: number, maxBackoffMs: number): number {
  if (consecutiveFailures <= 0) return intervalMs;
  return Math.max(intervalMs, Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(consecutiveFailures, 20)));
}

export async function runSweepLoop(options: SweepLoopOptions): Promise<SweepLoopResult> {
  const { clock, deadline, intervalMs } = options;
  const minSweepMs = options.minSweepMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? Math.max(intervalMs, 60_000);
  const summaries: SweepSummary[] = [];
  let active: Set<string> = new Set();
  let longestMs = minSweepMs;
  let failing = 0;
  for (;;) {
    const startedAt = clock.now();
    const summary = await options.sweep();
    summaries.push(summary);
    longestMs = Math.max(longestMs, clock.now() - startedAt);
    await options.onSweep?.(summary, summaries.length - 1);
    if (intervalMs <= 0) return { sweeps: summaries.length, exit: "once", summaries };
    active = activePlatforms(summary, active);
    if (active.size === 0) return { sweeps: summaries.length, exit: "idle", summaries };
    failing = summary.failed > 0 ? failing + 1 : 0;
    // Start-to-start spacing: a sweep that took 3 s of a 10 s interval waits 7 s.
    const nextAt = startedAt + nextSpacingMs(intervalMs, failing, maxBackoffMs);
    if (deadline.atMs - nextAt < longestMs) return { sweeps: summaries.length, exit: "deadline", summaries };
    const waitMs = nextAt - clock.now();
    if (waitMs > 0) await clock.sleep(waitMs);
  }
}

/**
 * One summary for the whole invocation: counts that add up (discovered,
 * changed, published, failed) are summed over the sweeps; what describes the
 * state (tracked, complete, per-platform details) is the last sweep's.
 */
export function combineSweeps(
  result: SweepLoopResult,
  durationMs: number,
): SweepSummary & { readonly sweeps: number; readonly loopExit: LoopExit } {
  const last = result.summaries[result.summaries.length - 1];
  if (!last) throw new RangeError("combineSweeps: no sweep ran");
  const sum = (k: "discovered" | "changed" | "published" | "failed") => result.summaries.reduce((n, s) => n + s[k], 0);
  return {
    sweeps: result.sweeps,
    loopExit: result.exit,
    discovered: sum("discovered"),
    tracked: last.tracked,
    changed: sum("changed"),
    published: sum("published"),
    failed: sum("failed"),
    durationMs,
    complete: last.complete,
    platforms: last.platforms,
  };
}
