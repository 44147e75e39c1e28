/**
 * The per-platform tracking index, `platforms/<platformId>/index.json` under
 * `AIDP_WATCH_STATE_PREFIX` (see docs/state-layout.md). It is the sweep's work
 * list, not the dedupe authority (announcement claims are): losing an update to
 * it can cost an extra AIDP call, never an announcement.
 *
 * - `watermark`: the catch-up listings of terminal operations stop paging at
 *   operations started before it (previous listing start − skew margin).
 * - `operations`: operations still to be settled — in progress, or terminal
 *   with an announcement not yet published (`pending`).
 * - `recentlyAnnounced`: `<key>/<status>` → when it was announced (or
 *   suppressed by a filter); lets catch-up skip what is done without touching
 *   the claim objects. Pruned once older than the watermark.
 * - `givenUp`: key → when it was given up (max age); such operations are not
 *   re-tracked while they stay in the in-progress list.
 */
import { parseStoredJson } from "../schema/stored-json.js";
import * as z from "../schema/zod.js";
import { WatchError } from "./watch-errors.js";
import type { OperationSnapshot } from "./operation.js";

export const INDEX_SCHEMA_VERSION = 1;

/** Longest error message / status details kept in the index (the full text is fetched again when needed). */
export const MAX_STORED_TEXT = 4000;

const optionalString = z.optional(z.string());

export const TrackedOperationSchema = z.object({
  key: z.string().check(z.minLength(1)),
  resourceType: z.string(),
  actionType: z.string(),
  resourceName: z.string(),
  resourceDisplayName: optionalString,
  createdBy: optionalString,
  createdByName: optionalString,
  timeStarted: optionalString,
  timeFinished: optionalString,
  status: z.string(),
  statusDetails: optionalString,
  errorCode: optionalString,
  errorMessage: optionalString,
  /** `opc-request-id`s of the calls that told us about the operation's current state. */
  opcRequestIds: z._default(z.array(z.string()), []),
  firstSeenAt: z.string(),
  source: z.enum(["list", "track"]),
  notFoundCount: z._default(z.number().check(z.int(), z.nonnegative()), 0),
  stillRunningWarned: z._default(z.boolean(), false),
  /** A status (terminal, LOST or GAVE_UP) decided but not yet announced. */
  pending: optionalString,
});
export type TrackedOperation = z.output<typeof TrackedOperationSchema>;

export const WatchIndexSchema = z.object({
  schemaVersion: z.literal(INDEX_SCHEMA_VERSION),
  platformId: z.string().check(z.minLength(1)),
  watermark: z.string(),
  operations: z.record(z.string(), TrackedOperationSchema),
  recentlyAnnounced: z._default(z.record(z.string(), z.string()), {}),
  givenUp: z._default(z.record(z.string(), z.string()), {}),
});
export type WatchIndex = z.output<typeof WatchIndexSchema>;

export class WatchIndexError extends WatchError {}

export function emptyIndex(platformId: string, watermarkIso: string): WatchIndex {
  return { schemaVersion: INDEX_SCHEMA_VERSION, platformId, watermark: watermarkIso, operations: {}, recentlyAnnounced: {}, givenUp: {} };
}

export function parseIndex(body: Buffer | string, platformId: string): WatchIndex {
  const parsed = parseStoredJson(WatchIndexSchema, body);
  if (!parsed.ok) {
    throw new WatchIndexError(`the tracking index ${parsed.problem}`, {
      cause: parsed.cause,
      context: { platformId, schemaVersion: INDEX_SCHEMA_VERSION },
    });
  }
  if (parsed.value.platformId !== platformId) {
    throw new WatchIndexError("the tracking index belongs to another platform", {
      context: { platformId, found: parsed.value.platformId },
    });
  }
  return parsed.value;
}

export function serializeIndex(index: WatchIndex): string {
  return JSON.stringify(index);
}

function clip(text: string | undefined): string | undefined {
  return text !== undefined && text.length > MAX_STORED_TEXT ? text.slice(0, MAX_STORED_TEXT) : text;
}

/** A tracked entry from a snapshot, keeping the bookkeeping fields of `previous`. */
export function trackedFrom(
  op: OperationSnapshot,
  previous: TrackedOperation | undefined,
  defaults: { firstSeenAt: string; source: "list" | "track"; opcRequestId?: string | undefined },
): TrackedOperation {
  return {
    key: op.key,
    resourceType: op.resourceType,
    actionType: op.actionType,
    resourceName: op.resourceName,
    resourceDisplayName: op.resourceDisplayName ?? previous?.resourceDisplayName,
    createdBy: op.createdBy ?? previous?.createdBy,
    createdByName: op.createdByName ?? previous?.createdByName,
    timeStarted: op.timeStarted ?? previous?.timeStarted,
    timeFinished: op.timeFinished ?? previous?.timeFinished,
    status: op.status,
    statusDetails: clip(op.statusDetails),
    errorCode: op.errorCode,
    errorMessage: clip(op.errorMessage),
    opcRequestIds: defaults.opcRequestId ? [defaults.opcRequestId] : (previous?.opcRequestIds ?? []),
    firstSeenAt: previous?.firstSeenAt ?? defaults.firstSeenAt,
    source: previous?.source ?? defaults.source,
    notFoundCount: 0,
    stillRunningWarned: previous?.stillRunningWarned ?? false,
    pending: previous?.pending,
  };
}

export function snapshotOf(entry: TrackedOperation): OperationSnapshot {
  return {
    key: entry.key,
    resourceType: entry.resourceType,
    actionType: entry.actionType,
    resourceName: entry.resourceName,
    resourceDisplayName: entry.resourceDisplayName,
    createdBy: entry.createdBy,
    createdByName: entry.createdByName,
    timeStarted: entry.timeStarted,
    timeFinished: entry.timeFinished,
    status: entry.status,
    statusDetails: entry.statusDetails,
    errorCode: entry.errorCode,
    errorMessage: entry.errorMessage,
  };
}
