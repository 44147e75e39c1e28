import { type Logger, silentLogger } from "../log/logger.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import { applyChanges, type IndexChange } from "./index-changes.js";
import type { StatePaths } from "./state-paths.js";
import { emptyIndex, parseIndex, serializeIndex, type WatchIndex } from "./watch-index.js";
import { IndexContentionError } from "./watch-errors.js";

export interface LoadedIndex {
  readonly index: WatchIndex;
  /** Undefined when the index does not exist yet (first sweep of this platform). */
  readonly etag: string | undefined;
}

/** Rounds of read-modify-write before giving up on a contended index. */
export const MAX_SAVE_ROUNDS = 6;

/**
 * Reads and writes `platforms/<platformId>/index.json` with ETag conditions.
 *
 * Timeline of two overlapping sweeps A and B (or a sweep and a crashed one
 * being rerun), both starting from version v1:
 *
 *   A: get → v1 ........................ put(if-match v1) → 412 ─┐
 *   B: get → v1 ... put(if-match v1) → v2                         │
 *   A: get → v2, apply A's changes to v2, put(if-match v2) → v3 ◄─┘
 *
 * Because A's changes are re-applied to v2 rather than A's stale copy
 * overwriting it, B's work survives; `applyChanges` makes the merge safe (see
 * index-changes.ts). A first save uses `if-none-match: *`, so two first sweeps
 * cannot both create the index.
 */
export class IndexStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly paths: StatePaths,
    private readonly logger: Logger = silentLogger,
  ) {}

  async load(platformId: string, nowIso: string, deadline: Deadline): Promise<LoadedIndex> {
    const object = await this.store.get(this.paths.index(platformId), { deadline });
    if (!object) return { index: emptyIndex(platformId, nowIso), etag: undefined };
    return { index: parseIndex(object.body, platformId), etag: object.etag };
  }

  /** Applies `changes` to `loaded` and saves; on 412 re-reads and re-applies. Returns what was saved. */
  async save(
    platformId: string,
    loaded: LoadedIndex,
    changes: readonly IndexChange[],
    nowIso: string,
    deadline: Deadline,
  ): Promise<LoadedIndex> {
    let base = loaded;
    for (let round = 1; round <= MAX_SAVE_ROUNDS; round++) {
      const next = applyChanges(base.index, changes);
      try {
        const { etag } = await this.store.put(this.paths.index(platformId), serializeIndex(next), {
          ...(base.etag === undefined ? { ifNoneMatch: "*" as const } : { ifMatch: base.etag }),
          contentType: "application/json",
          deadline,
        });
        return { index: next, etag };
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        this.logger.info("tracking index changed under this sweep; re-applying its changes", { platformId, round });
        base = await this.load(platformId, nowIso, deadline);
      }
    }
    throw new IndexContentionError(`the tracking index kept changing during ${MAX_SAVE_ROUNDS} save attempts`, { context: { platformId } });
  }
}
