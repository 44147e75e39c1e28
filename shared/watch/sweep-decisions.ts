/**
 * The sweep's decisions as pure functions of plain inputs: what the index
 * says, what the listings returned, what the individual fetches returned, the
 * time. No I/O, no clock: `nowMs` is passed in.
 */
import { IN_PROGRESS } from "../aidp/aidp-enums.js";
import type { AnnouncementFilter } from "./announcement-filter.js";
import { shouldAnnounce, typesAdmitted } from "./announcement-filter.js";
import type { IndexChange } from "./index-changes.js";
import { announcementKey } from "./index-changes.js";
import { isTerminalStatus, type OperationSnapshot, parseTime } from "./operation.js";
import type { WatchRules } from "./watch-rules.js";
import { type TrackedOperation, trackedFrom, type WatchIndex } from "./watch-index.js";

/** An operation as a listing or a fetch returned it, with the call's `opc-request-id`. */
export interface Observed {
  readonly op: OperationSnapshot;
  readonly opcRequestId?: string | undefined;
}

export interface DiscoveryInput {
  readonly index: WatchIndex;
  /** Every page of `status=IN_PROGRESS` (when `inProgressComplete`), or the pages read before stopping. */
  readonly inProgress: readonly Observed[];
  /** False when the listing stopped early (deadline, error): nothing may then be inferred from absence. */
  readonly inProgressComplete: boolean;
  /** Keys registered by `track` since the last sweep. */
  readonly registrations: readonly string[];
  /** Terminal operations from the catch-up listings (started at or after the watermark). */
  readonly terminalListed: readonly Observed[];
  readonly nowMs: number;
  readonly filter: AnnouncementFilter;
}

export interface DiscoveryPlan {
  readonly changes: IndexChange[];
  /** Operations to fetch individually, most urgent first. */
  readonly toFetch: string[];
  /** Operations tracked for the first time by this sweep. */
  readonly discovered: number;
  /** Of those, terminal operations found by catch-up (state changes the in-progress list never showed). */
  readonly caughtUp: number;
}

/** A placeholder for an operation known only by its key (a registration): fetched to fill in. */
export function placeholderEntry(key: string, nowIso: string): TrackedOperation {
  return {
    key,
    resourceType: "UNKNOWN",
    actionType: "UNKNOWN",
    resourceName: "",
    status: IN_PROGRESS,
    opcRequestIds: [],
    firstSeenAt: nowIso,
    source: "track",
    notFoundCount: 0,
    stillRunningWarned: false,
  };
}

/**
 * Merges the in-progress listing, the registrations and the catch-up listing
 * into the index, and names the operations to fetch: tracked operations that
 * left the in-progress list (only when the listing was complete), registered
 * operations not in it, and terminal operations from catch-up that are neither
 * tracked nor recently announced. Everything else costs no call.
 */
export function planDiscovery(input: DiscoveryInput): DiscoveryPlan {
  const { index, filter } = input;
  const nowIso = new Date(input.nowMs).toISOString();
  const changes: IndexChange[] = [];
  const toFetch: string[] = [];
  const fetchSet = new Set<string>();
  const listed = new Set<string>();
  let discovered = 0;
  let caughtUp = 0;
  const fetch = (key: string) => {
    if (!fetchSet.has(key)) {
      fetchSet.add(key);
      toFetch.push(key);
    }
  };

  for (const { op, opcRequestId } of input.inProgress) {
    listed.add(op.key);
    if (index.givenUp[op.key] !== undefined) continue;
    const current = index.operations[op.key];
    if (!typesAdmitted(filter, op)) {
      if (current) changes.push({ kind: "drop", key: op.key, reason: "excluded by type filters" });
      continue;
    }
    if (current?.pending !== undefined) continue;
    if (!current) discovered++;
    changes.push({ kind: "upsert", entry: trackedFrom(op, current, { firstSeenAt: nowIso, source: "list", opcRequestId }) });
  }
  if (input.inProgressComplete) changes.push({ kind: "pruneGivenUp", stillInProgress: listed });

  for (const entry of Object.values(index.operations)) {
    if (listed.has(entry.key) || entry.pending !== undefined) continue;
    // Left the list (or was never in it: registered, or outside the list filters).
    if (input.inProgressComplete || entry.status !== IN_PROGRESS) fetch(entry.key);
  }

  for (const key of input.registrations) {
    if (listed.has(key) || index.operations[key] !== undefined || index.givenUp[key] !== undefined) continue;
    if (Object.keys(index.recentlyAnnounced).some((k) => k.startsWith(`${key}/`) && !k.endsWith("/STILL_RUNNING"))) continue;
    discovered++;
    changes.push({ kind: "upsert", entry: placeholderEntry(key, nowIso) });
    fetch(key);
  }

  for (const { op, opcRequestId } of input.terminalListed) {
    if (!isTerminalStatus(op.status) || listed.has(op.key) || index.operations[op.key] !== undefined || fetchSet.has(op.key)) continue;
    if (index.recentlyAnnounced[announcementKey(op.key, op.status)] !== undefined) continue;
    if (!typesAdmitted(filter, op)) continue;
    // Started and ended between two sweeps: never seen in progress. Recorded as
    // pending from the summary now (so advancing the watermark cannot lose it),
    // fetched for the details the summary lacks (error code and message).
    discovered++;
    caughtUp++;
    const entry = trackedFrom(op, undefined, { firstSeenAt: nowIso, source: "list", opcRequestId });
    changes.push({ kind: "upsert", entry: { ...entry, pending: op.status } });
    fetch(op.key);
  }
  return { changes, toFetch, discovered, caughtUp };
}

export type FetchOutcome =
  | { readonly kind: "found"; readonly op: OperationSnapshot; readonly opcRequestId?: string | undefined }
  | { readonly kind: "not-found"; readonly opcRequestId?: string | undefined }
  | { readonly kind: "error" };

/** The index change one individual fetch leads to (undefined: nothing to change). */
export function decideFetch(entry: TrackedOperation, outcome: FetchOutcome, nowMs: number, rules: WatchRules): IndexChange | undefined {
  const nowIso = new Date(nowMs).toISOString();
  switch (outcome.kind) {
    case "found": {
      const next = trackedFrom(outcome.op, entry, { firstSeenAt: nowIso, source: entry.source, opcRequestId: outcome.opcRequestId });
      const pending = isTerminalStatus(outcome.op.status) ? outcome.op.status : undefined;
      return { kind: "upsert", entry: { ...next, pending } };
    }
    case "not-found": {
      if (entry.pending !== undefined) return undefined; // decided already (e.g. from a listing); announce what we have
      const notFoundCount = entry.notFoundCount + 1;
      const opcRequestIds = outcome.opcRequestId ? [outcome.opcRequestId] : entry.opcRequestIds;
      return {
        kind: "upsert",
        entry: { ...entry, notFoundCount, opcRequestIds, pending: notFoundCount >= rules.notFoundLimit ? "LOST" : undefined },
      };
    }
    case "error":
      return undefined;
  }
}

/** How long the operation has been running, from AIDP's start time or, lacking it, from when we first saw it. */
export function runningForMs(entry: TrackedOperation, nowMs: number): number {
  const started = parseTime(entry.timeStarted) ?? parseTime(entry.firstSeenAt) ?? nowMs;
  return Math.max(0, nowMs - started);
}

/**
 * Time rules for an operation still in progress: past the maximum age it is
 * given up (announced once, then dropped); past the still-running threshold it
 * gets one STILL_RUNNING warning. Returns the status to announce, if any.
 */
export function decideTime(entry: TrackedOperation, nowMs: number, rules: WatchRules): "GAVE_UP" | "STILL_RUNNING" | undefined {
  if (entry.pending !== undefined || entry.status !== IN_PROGRESS) return undefined;
  const age = runningForMs(entry, nowMs);
  if (age > rules.maxAgeMs) return "GAVE_UP";
  if (rules.stillRunningAfterMs > 0 && age >= rules.stillRunningAfterMs && !entry.stillRunningWarned) return "STILL_RUNNING";
  return undefined;
}

/** One message's worth of news about one operation. */
export interface PlannedAnnouncement {
  readonly entry: TrackedOperation;
  /** A terminal AIDP status, or STILL_RUNNING / LOST / GAVE_UP. */
  readonly status: string;
}

const RANK: Record<string, number> = { STILL_RUNNING: 3, GAVE_UP: 2, LOST: 2 };

/**
 * Everything the index says is due, split into what the filters let through
 * and what they suppress (recorded as done without a message). Order: terminal
 * states first, oldest finish first; then LOST/GAVE_UP; STILL_RUNNING last.
 */
export function planAnnouncements(
  index: WatchIndex,
  nowMs: number,
  rules: WatchRules,
  filter: AnnouncementFilter,
): { due: PlannedAnnouncement[]; suppressed: PlannedAnnouncement[] } {
  const all: PlannedAnnouncement[] = [];
  for (const entry of Object.values(index.operations)) {
    if (entry.pending !== undefined) {
      all.push({ entry, status: entry.pending });
      continue;
    }
    const timed = decideTime(entry, nowMs, rules);
    if (timed) all.push({ entry, status: timed });
  }
  all.sort((a, b) => {
    const r = (RANK[a.status] ?? 1) - (RANK[b.status] ?? 1);
    if (r !== 0) return r;
    const fa = parseTime(a.entry.timeFinished) ?? parseTime(a.entry.firstSeenAt) ?? 0;
    const fb = parseTime(b.entry.timeFinished) ?? parseTime(b.entry.firstSeenAt) ?? 0;
    return fa - fb || a.entry.key.localeCompare(b.entry.key);
  });
  const due: PlannedAnnouncement[] = [];
  const suppressed: PlannedAnnouncement[] = [];
  for (const a of all) {
    const unknownTypes = a.entry.resourceType === "UNKNOWN" && a.entry.actionType === "UNKNOWN";
    if (
      unknownTypes
        ? shouldAnnounce({ ...filter, includeActionTypes: [], includeResourceTypes: [] }, a.status, a.entry)
        : shouldAnnounce(filter, a.status, a.entry)
    )
      due.push(a);
    else suppressed.push(a);
  }
  return { due, suppressed };
}

/** The index change recording that an announcement went out (or was suppressed). */
export function announcedChange(a: PlannedAnnouncement, nowMs: number): IndexChange {
  const at = new Date(nowMs).toISOString();
  if (a.status === "GAVE_UP") return { kind: "givenUp", key: a.entry.key, at };
  return { kind: "announced", key: a.entry.key, status: a.status, at };
}

/** The watermark after a sweep whose catch-up listing started at `listingStartMs` and completed. */
export function nextWatermark(listingStartMs: number, rules: WatchRules): string {
  return new Date(listingStartMs - rules.catchUpSkewMs).toISOString();
}
