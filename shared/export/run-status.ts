/**
 * Whether a task run or job run is finished, for export. The enum is open: a
 * status we don't know is treated as *not finished* (so its outputs are not
 * exported too early and its job run holds the discovery watermark) and
 * reported, so someone adds it to `shared/aidp/aidp-enums.ts`.
 */
import { FINISHED_RUN_STATUSES, RUNNING_RUN_STATUSES } from "../aidp/aidp-enums.js";
import { isKnown } from "../schema/open-enum.js";

/** Finished statuses of a task that never started: it has no output to fetch. */
const NEVER_RAN_STATUSES = ["SKIPPED", "EXCLUDED", "UPSTREAM_CANCELED", "UPSTREAM_FAILED"] as const;

export type RunPhase = "finished" | "running" | "unknown";

export function runPhase(status: string | undefined): RunPhase {
  if (status === undefined) return "unknown";
  if (isKnown(FINISHED_RUN_STATUSES, status)) return "finished";
  if (isKnown(RUNNING_RUN_STATUSES, status)) return "running";
  return "unknown";
}

export function neverRan(status: string | undefined): boolean {
  return status !== undefined && isKnown(NEVER_RAN_STATUSES, status);
}
