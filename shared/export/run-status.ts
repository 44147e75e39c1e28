import { isKnown } from "../decode/open-enum.js";

/**
 * `State.status` of task runs and job runs (AIDP 20260430). The API does not
 * document which statuses are terminal; this split is our inference
 * (docs/oci-facts §1.4). The enum is open: a status we don't know is treated
 * as *not finished* (so its outputs are not exported too early and its job
 * run holds the discovery watermark) and reported, so someone adds it here.
 */
export const TERMINAL_STATUSES = [
  "SUCCESS",
  "FAILED",
  "SKIPPED",
  "CANCELED",
  "UPSTREAM_CANCELED",
  "UPSTREAM_FAILED",
  "TIMED_OUT",
  "INTERNAL_ERROR",
  "EXCLUDED",
] as const;
export const RUNNING_STATUSES = ["PENDING", "QUEUED", "RUNNING", "BLOCKED", "CANCELING", "PAUSED_MAINTENANCE"] as const;

/** Terminal statuses of a task that never started: it has no output to fetch. */
export const NEVER_RAN_STATUSES = ["SKIPPED", "EXCLUDED", "UPSTREAM_CANCELED", "UPSTREAM_FAILED"] as const;

export type RunPhase = "finished" | "running" | "unknown";

export function runPhase(status: string | undefined): RunPhase {
  if (status === undefined) return "unknown";
  if (isKnown(TERMINAL_STATUSES, status)) return "finished";
  if (isKnown(RUNNING_STATUSES, status)) return "running";
  return "unknown";
}

export function neverRan(status: string | undefined): boolean {
  return status !== undefined && isKnown(NEVER_RAN_STATUSES, status);
}
