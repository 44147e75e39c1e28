/**
 * What one sweep changes in a platform's index, as a list of changes that are
 * each a function of the index they are applied to. The sweep keeps them and
 * applies them to the index it read; when saving fails with 412 (another
 * sweep, or a crash-restarted one, saved in between) it re-reads the index and
 * applies the same list to the newer version:
 *
 *   sweep A reads v1 ──────────────── changes CA ── put(if-match v1) → 412
 *   sweep B reads v1 ── changes CB ── put(if-match v1) → v2
 *   sweep A re-reads v2 ── applies CA to v2 ── put(if-match v2) → v3 (= v1 + CB + CA)
 *
 * The merge rules keep that safe: an upsert never resurrects an operation the
 * other sweep already announced (its `<key>/<status>` is in
 * `recentlyAnnounced`) or gave up; `announced` removes the operation whatever
 * its entry says now; flags only ever go from false to true; the watermark only
 * moves forward. Nothing here can drop an unannounced terminal state: only an
 * `announced` change removes an operation, and it is recorded only after the
 * announcement's claim says "published" (or a filter suppressed it).
 */
import { parseTime } from "./operation.js";
import type { TrackedOperation, WatchIndex } from "./watch-index.js";

export type IndexChange =
  | { readonly kind: "upsert"; readonly entry: TrackedOperation }
  | { readonly kind: "drop"; readonly key: string; readonly reason: string }
  | { readonly kind: "announced"; readonly key: string; readonly status: string; readonly at: string }
  | { readonly kind: "givenUp"; readonly key: string; readonly at: string }
  | { readonly kind: "watermark"; readonly iso: string }
  /** After a complete in-progress listing: forget given-up keys no longer in it. */
  | { readonly kind: "pruneGivenUp"; readonly stillInProgress: ReadonlySet<string> };

export function announcementKey(key: string, status: string): string {
  return `${key}/${status}`;
}

/** Keys whose final announcement (anything but STILL_RUNNING) is recorded: they are done. */
function settledKeys(index: WatchIndex): Set<string> {
  const keys = new Set<string>();
  for (const k of Object.keys(index.recentlyAnnounced)) {
    const slash = k.lastIndexOf("/");
    if (slash > 0 && k.slice(slash + 1) !== "STILL_RUNNING") keys.add(k.slice(0, slash));
  }
  return keys;
}

function upsert(index: WatchIndex, entry: TrackedOperation, settled: ReadonlySet<string>): void {
  if (index.givenUp[entry.key] !== undefined || settled.has(entry.key)) return;
  const current = index.operations[entry.key];
  index.operations[entry.key] = {
    ...entry,
    stillRunningWarned: entry.stillRunningWarned || (current?.stillRunningWarned ?? false),
    // A pending announcement decided by another sweep stays pending.
    pending: entry.pending ?? current?.pending,
  };
}

export function applyChanges(base: WatchIndex, changes: readonly IndexChange[]): WatchIndex {
  const index: WatchIndex = {
    ...base,
    operations: { ...base.operations },
    recentlyAnnounced: { ...base.recentlyAnnounced },
    givenUp: { ...base.givenUp },
  };
  const settled = settledKeys(index);
  for (const change of changes) {
    switch (change.kind) {
      case "upsert":
        upsert(index, change.entry, settled);
        break;
      case "drop":
        delete index.operations[change.key];
        break;
      case "announced": {
        index.recentlyAnnounced[announcementKey(change.key, change.status)] ??= change.at;
        const current = index.operations[change.key];
        if (change.status === "STILL_RUNNING") {
          if (current) index.operations[change.key] = { ...current, stillRunningWarned: true };
        } else {
          delete index.operations[change.key];
          settled.add(change.key);
        }
        break;
      }
      case "givenUp":
        index.givenUp[change.key] ??= change.at;
        delete index.operations[change.key];
        break;
      case "watermark":
        if ((parseTime(change.iso) ?? 0) > (parseTime(index.watermark) ?? 0)) index.watermark = change.iso;
        break;
      case "pruneGivenUp":
        for (const key of Object.keys(index.givenUp)) {
          if (!change.stillInProgress.has(key)) delete index.givenUp[key];
        }
        break;
    }
  }
  // recentlyAnnounced only serves catch-up, which never looks at operations
  // started before the watermark; an entry announced before it is for such an
  // operation (announced ≥ started), so it can go.
  const watermarkMs = parseTime(index.watermark) ?? 0;
  for (const [k, at] of Object.entries(index.recentlyAnnounced)) {
    if ((parseTime(at) ?? 0) < watermarkMs) delete index.recentlyAnnounced[k];
  }
  return index;
}
