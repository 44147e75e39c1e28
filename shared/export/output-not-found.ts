/**
 * What a 404 from `fetchOutput` means (pure; export-task-run.ts does the I/O).
 *
 * AIDP answers 404 for three different things: the task run has no output,
 * the output is not stored yet (a task run reported finished a moment before
 * its output is readable), or the caller asked for an output key AIDP doesn't
 * know. Reading every 404 as "no output" would lose the second kind for good
 * (discovery would mark the job run done), so:
 *
 * - a key the caller passed that differs from the task run's own `outputKey`
 *   is the caller's mistake: an error naming the key, never "no output";
 * - a task run that is not finished yet, or finished less than the grace
 *   window ago (counted from its `endTime`, so it holds across sweeps and
 *   restarts), is asked again later;
 * - past the window (or with no `endTime` to count from) it is "no output".
 */
import { runPhase } from "./run-status.js";

/** `AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES`' default, in ms. @default 60 min */
export const DEFAULT_OUTPUT_NOT_FOUND_GRACE_MS = 60 * 60_000;

export interface OutputNotFoundInput {
  /** The key the caller passed (not the one read from the task run). */
  readonly callerKey: string | undefined;
  /** The task run's own `outputKey`, if it names one. */
  readonly taskRunOutputKey: string | undefined;
  readonly status: string | undefined;
  readonly endTimeMs: number | undefined;
  readonly nowMs: number;
  readonly graceMs: number;
}

export type OutputNotFoundDecision =
  | { readonly kind: "wrong-key"; readonly reason: string }
  | { readonly kind: "retry-later"; readonly reason: string; readonly retryUntilMs: number | undefined }
  | { readonly kind: "no-output"; readonly reason: string };

export function decideOutputNotFound(input: OutputNotFoundInput): OutputNotFoundDecision {
  const { callerKey, taskRunOutputKey } = input;
  if (callerKey !== undefined && taskRunOutputKey !== undefined && callerKey !== taskRunOutputKey) {
    return {
      kind: "wrong-key",
      reason: `AIDP doesn't know output key "${callerKey}" for this task run; its output key is "${taskRunOutputKey}"`,
    };
  }
  if (runPhase(input.status) !== "finished") {
    return {
      kind: "retry-later",
      reason: `the task run is not finished (status ${input.status ?? "none"}): its output may not exist yet`,
      retryUntilMs: undefined,
    };
  }
  if (input.endTimeMs === undefined || !Number.isFinite(input.endTimeMs)) {
    return { kind: "no-output", reason: "404 for a finished task run that reports no endTime, so no grace window can be counted" };
  }
  const retryUntilMs = input.endTimeMs + input.graceMs;
  const minutes = Math.round((input.nowMs - input.endTimeMs) / 60_000);
  if (input.nowMs < retryUntilMs) {
    return {
      kind: "retry-later",
      reason: `404 ${minutes} min after the task run ended: within the ${input.graceMs / 60_000} min grace window, asked again later`,
      retryUntilMs,
    };
  }
  return { kind: "no-output", reason: `404 ${minutes} min after the task run ended, past the ${input.graceMs / 60_000} min grace window` };
}
