import type { Announcement } from "../notify/announcement.js";
import { snapshotOf, type TrackedOperation } from "./watch-index.js";

export function toAnnouncement(platformId: string, entry: TrackedOperation, status: string, nowMs: number): Announcement {
  return {
    platformId,
    status,
    operation: snapshotOf(entry),
    opcRequestIds: entry.opcRequestIds,
    firstSeenAt: entry.firstSeenAt,
    notFoundCount: entry.notFoundCount,
    decidedAtMs: nowMs,
  };
}
