/**
 * What the watch core knows about one AIDP async operation: the fields of
 * `AsyncOperation`/`AsyncOperationSummary` that announcements need, plain
 * strings only (enums are open: an unknown status or action type is kept as is).
 */
import { IN_PROGRESS } from "../aidp/aidp-enums.js";

export interface OperationSnapshot {
  readonly key: string;
  readonly resourceType: string;
  readonly actionType: string;
  readonly resourceName: string;
  readonly resourceDisplayName?: string | undefined;
  readonly createdBy?: string | undefined;
  readonly createdByName?: string | undefined;
  /** RFC 3339, as AIDP sends it. */
  readonly timeStarted?: string | undefined;
  readonly timeFinished?: string | undefined;
  readonly status: string;
  readonly statusDetails?: string | undefined;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
}

/** Announcements aidp-watch makes itself, besides AIDP's terminal statuses. */
export const WATCH_STATUSES = ["STILL_RUNNING", "LOST", "GAVE_UP"] as const;
export type WatchStatus = (typeof WATCH_STATUSES)[number];

/**
 * Anything but IN_PROGRESS ends tracking: AIDP may add status values, and an
 * unknown one announced once beats an operation tracked until it ages out.
 */
export function isTerminalStatus(status: string): boolean {
  return status !== IN_PROGRESS;
}

export function isWatchStatus(status: string): status is WatchStatus {
  return (WATCH_STATUSES as readonly string[]).includes(status);
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable time. */
export function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
