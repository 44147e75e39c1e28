/**
 * The per-topic publish budget shared by every `poll` and `track` container,
 * `topics/<hash>/budget.json`, updated with if-match / if-none-match:
 *
 *   poll:  get → {used 40} ........ put(if-match e1, used 50) → e2
 *   track: get → {used 40} .. put(if-match e1, used 41) → 412 → get → {used 50} → grant 0
 *
 * It is best effort by design: when the object cannot be read or written
 * (permissions, outage, contention past a few rounds), the invocation falls
 * back to a budget of its own (`perMinute` for this invocation) — slightly
 * over-publishing in that rare case is better than not announcing at all.
 */
import { type Logger, silentLogger } from "../log/logger.js";
import { storedJsonOrUndefined } from "../schema/stored-json.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import { type BudgetState, BudgetStateSchema, emptyBudget, grantPublishes, usedInWindow } from "./publish-budget.js";
import type { StatePaths } from "./state-paths.js";

export class BudgetStore {
  private local: BudgetState = emptyBudget();
  private shared = true;

  constructor(
    private readonly store: ObjectStore,
    private readonly paths: StatePaths,
    private readonly topicId: string,
    private readonly perMinute: number,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Publishes still available in the current window (a read; nothing is reserved). */
  async available(nowMs: number, deadline: Deadline): Promise<number> {
    if (this.shared) {
      try {
        const { state } = await this.read(deadline);
        return Math.max(0, this.perMinute - usedInWindow(state, nowMs));
      } catch (err) {
        this.fallBack(err);
      }
    }
    return Math.max(0, this.perMinute - usedInWindow(this.local, nowMs));
  }

  /** Reserves up to `requested` publishes now; returns how many were granted. */
  async take(requested: number, nowMs: number, deadline: Deadline): Promise<number> {
    if (requested <= 0) return 0;
    if (this.shared) {
      try {
        for (let round = 0; round < 4; round++) {
          const { state, etag } = await this.read(deadline);
          const { granted, state: next } = grantPublishes(state, nowMs, requested, this.perMinute);
          if (granted === 0) return 0;
          try {
            await this.store.put(this.paths.budget(this.topicId), JSON.stringify(next), {
              ...(etag === undefined ? { ifNoneMatch: "*" as const } : { ifMatch: etag }),
              contentType: "application/json",
              deadline,
            });
            this.local = grantPublishes(this.local, nowMs, granted, Number.MAX_SAFE_INTEGER).state;
            return granted;
          } catch (err) {
            if (!(err instanceof PreconditionFailedError)) throw err;
          }
        }
        throw new Error("publish budget kept changing");
      } catch (err) {
        this.fallBack(err);
      }
    }
    const { granted, state } = grantPublishes(this.local, nowMs, requested, this.perMinute);
    this.local = state;
    return granted;
  }

  private fallBack(err: unknown): void {
    this.shared = false;
    this.logger.warn("shared publish budget unavailable; using a per-invocation budget", { error: err });
  }

  private async read(deadline: Deadline): Promise<{ state: BudgetState; etag: string | undefined }> {
    const object = await this.store.get(this.paths.budget(this.topicId), { deadline });
    if (!object) return { state: emptyBudget(), etag: undefined };
    // An unreadable budget starts afresh (replaced with if-match like any other).
    return { state: storedJsonOrUndefined(BudgetStateSchema, object.body) ?? emptyBudget(), etag: object.etag };
  }
}
