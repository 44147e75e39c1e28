/**
 * Announcement claims, `announcements/<platformId>/<key>/<status>.json`: the
 * one place that decides whether (operation, status) has been announced. Both
 * `poll` and `track` go through it, so it is what makes "announced once" hold
 * across overlapping sweeps, a `track` racing a sweep, and crashes.
 *
 * Protocol, for one (operation, status):
 *   1. claim:   PUT {state:"claimed", leaseUntil}  if-none-match: *
 *               412 → GET it: "published" → done, nothing to send;
 *                     "claimed", lease live → someone is sending: leave pending;
 *                     "claimed", lease over → its claimant died: PUT if-match <etag> (take over)
 *   2. publish  (ONS)
 *   3. record:  PUT {state:"published", messageId}  if-match <our etag>
 *   failed publish → DELETE if-match <our etag> (the next sweep retries at once;
 *                    if the delete fails too, the lease expiring has the same effect)
 *
 * Two claimants racing at step 1 (or at a take-over) are serialised by the
 * condition: exactly one PUT succeeds, the other gets 412 and then sees a live
 * lease. A crash at any point before ONS accepts leaves a claim whose lease
 * runs out: the next sweep after it takes over and publishes — late, never
 * lost. A crash after step 3 leaves "published": never sent again.
 *
 * The duplicate window: a crash (or a lost answer) after ONS accepted the
 * message and before step 3 completes — one PUT. After the lease expires the
 * next sweep publishes again. Nothing else can send (operation, status) twice.
 */
import { type Logger, silentLogger } from "../log/logger.js";
import { storedJsonOrUndefined } from "../schema/stored-json.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import { type ClaimRecord, ClaimRecordSchema, decideExistingClaim } from "./claim-record.js";
import type { StatePaths } from "./state-paths.js";

export type ClaimResult =
  | { readonly kind: "claimed"; readonly name: string; readonly etag: string }
  | { readonly kind: "published" }
  | { readonly kind: "busy" };

export class ClaimStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly paths: StatePaths,
    private readonly logger: Logger = silentLogger,
  ) {}

  async claim(
    platformId: string,
    key: string,
    status: string,
    options: { nowMs: number; leaseUntilMs: number; claimant?: string; deadline: Deadline },
  ): Promise<ClaimResult> {
    const name = this.paths.claim(platformId, key, status);
    const record: ClaimRecord = {
      state: "claimed",
      leaseUntil: new Date(options.leaseUntilMs).toISOString(),
      ...(options.claimant ? { claimant: options.claimant } : {}),
    };
    const body = JSON.stringify(record);
    const put = { contentType: "application/json", deadline: options.deadline };
    // Two rounds: the claim may be deleted (failed publish) between our 412 and our read.
    for (let round = 0; round < 2; round++) {
      try {
        const { etag } = await this.store.put(name, body, { ...put, ifNoneMatch: "*" });
        return { kind: "claimed", name, etag };
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
      const existing = await this.store.get(name, { deadline: options.deadline });
      if (!existing) continue;
      const parsed = storedJsonOrUndefined(ClaimRecordSchema, existing.body);
      const decision = decideExistingClaim(parsed, options.nowMs);
      if (decision === "published") return { kind: "published" };
      if (decision === "busy") return { kind: "busy" };
      // Take-over: only one of several claimants seeing the same expired lease wins.
      try {
        const { etag } = await this.store.put(name, body, { ...put, ifMatch: existing.etag });
        this.logger.warn("took over an expired announcement claim", { platformId, operationKey: key, status });
        return { kind: "claimed", name, etag };
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
        return { kind: "busy" };
      }
    }
    return { kind: "busy" };
  }

  /**
   * Records the publish. False when our claim was taken over meanwhile (we
   * outlived our lease: the other claimant may publish a duplicate).
   */
  async markPublished(
    claim: { name: string; etag: string },
    receipt: { messageId: string; publishedAtMs: number; digest?: boolean },
    deadline: Deadline,
  ): Promise<boolean> {
    const record: ClaimRecord = {
      state: "published",
      messageId: receipt.messageId,
      publishedAt: new Date(receipt.publishedAtMs).toISOString(),
      ...(receipt.digest ? { digest: true } : {}),
    };
    try {
      await this.store.put(claim.name, JSON.stringify(record), { ifMatch: claim.etag, contentType: "application/json", deadline });
      return true;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      this.logger.warn("announcement claim was taken over before it was recorded as published", { claim: claim.name });
      return false;
    }
  }

  /** Gives a claim back after a failed publish; best effort (the lease expiring has the same effect). */
  async release(claim: { name: string; etag: string }, deadline: Deadline): Promise<void> {
    try {
      await this.store.delete(claim.name, { ifMatch: claim.etag, deadline });
    } catch (err) {
      this.logger.warn("could not release an announcement claim; it frees itself when its lease ends", { claim: claim.name, error: err });
    }
  }
}
