/**
 * The facts of an announcement, in reading order, shared by the text and JSON
 * bodies. Bounded facts come first; the two unbounded ones (error message,
 * status details) last, so that cutting a too-long body from its end never
 * loses the dedupe key or the request ids.
 */
import { TERMINAL_ASYNC_OPERATION_STATUSES } from "../aidp/aidp-enums.js";
import { isKnown } from "../schema/open-enum.js";
import { isTerminalStatus } from "../watch/operation.js";
import { type Announcement, dedupeKey, type RenderOptions } from "./announcement.js";
import { consoleUrl, durationMs, formatDuration, formatTime } from "./format-values.js";

export interface AnnouncementFacts {
  readonly headline: string;
  readonly status: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly resourceDisplayName: string | undefined;
  readonly platformId: string;
  readonly operationKey: string;
  readonly startedBy: string | undefined;
  readonly started: string | undefined;
  readonly finished: string | undefined;
  readonly duration: string | undefined;
  readonly durationMs: number | undefined;
  readonly note: string | undefined;
  readonly errorCode: string | undefined;
  readonly opcRequestIds: readonly string[];
  readonly consoleUrl: string | undefined;
  readonly dedupeKey: string;
  readonly errorMessage: string | undefined;
  readonly statusDetails: string | undefined;
}

function headline(a: Announcement): string {
  const what = `${a.operation.actionType} of ${a.operation.resourceName || a.operation.key}`;
  switch (a.status) {
    case "SUCCEEDED":
      return `${what} succeeded.`;
    case "FAILED":
      return `${what} failed.`;
    case "CANCELED":
      return `${what} was canceled.`;
    case "STILL_RUNNING":
      return `${what} is still running.`;
    case "LOST":
      return `${what} can no longer be found in AI Data Platform.`;
    case "GAVE_UP":
      return `${what} is still in progress; aidp-watch stops watching it.`;
    default:
      return `${what} ended with status ${a.status}.`;
  }
}

function note(a: Announcement, runningMs: number | undefined): string | undefined {
  switch (a.status) {
    case "STILL_RUNNING":
      return `Running for ${formatDuration(runningMs ?? 0)}; this warning is sent once. The result will be announced when it ends.`;
    case "LOST":
      return `AI Data Platform answered 404 ${a.notFoundCount ?? "several"} time(s) in a row; the operation is no longer tracked and its result will not be announced.`;
    case "GAVE_UP":
      return `In progress for ${formatDuration(runningMs ?? 0)}, longer than the configured maximum age; its result will not be announced.`;
    default:
      return isTerminalStatus(a.status) && !isKnown(TERMINAL_ASYNC_OPERATION_STATUSES, a.status)
        ? `${a.status} is a status aidp-watch does not know; it is announced as final.`
        : undefined;
  }
}

export function announcementFacts(a: Announcement, options: RenderOptions): AnnouncementFacts {
  const op = a.operation;
  const tz = options.displayTimeZone;
  const stillGoing = a.status === "STILL_RUNNING" || a.status === "GAVE_UP";
  const startIso = op.timeStarted ?? a.firstSeenAt;
  const endIso = stillGoing ? new Date(a.decidedAtMs).toISOString() : op.timeFinished;
  const ms = durationMs(startIso, endIso);
  const by = op.createdByName && op.createdBy ? `${op.createdByName} (${op.createdBy})` : (op.createdByName ?? op.createdBy);
  return {
    headline: headline(a),
    status: a.status,
    action: op.actionType,
    resourceType: op.resourceType,
    resourceName: op.resourceName,
    resourceDisplayName: op.resourceDisplayName,
    platformId: a.platformId,
    operationKey: op.key,
    startedBy: by,
    started: formatTime(op.timeStarted, tz),
    finished: stillGoing ? undefined : formatTime(op.timeFinished, tz),
    duration: ms === undefined ? undefined : formatDuration(ms),
    durationMs: ms,
    note: note(a, ms),
    errorCode: op.errorCode,
    opcRequestIds: a.opcRequestIds,
    consoleUrl: consoleUrl(options.consoleUrlTemplate, { platformId: a.platformId, operationKey: op.key, region: options.region }),
    dedupeKey: dedupeKey(a),
    errorMessage: op.errorMessage,
    statusDetails: op.statusDetails,
  };
}
