/**
 * An announcement claim, `announcements/<platformId>/<key>/<status>.json`:
 * the dedupe authority shared by `poll` and `track`. `claimed` means someone
 * is publishing until `leaseUntil`; `published` means the message went out.
 */
import * as z from "../schema/zod.js";

export const ClaimRecordSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("claimed"), leaseUntil: z.string(), claimant: z.optional(z.string()) }),
  z.object({ state: z.literal("published"), messageId: z.string(), publishedAt: z.string(), digest: z.optional(z.boolean()) }),
]);
export type ClaimRecord = z.output<typeof ClaimRecordSchema>;

export type ExistingClaimDecision = "published" | "busy" | "take-over";

/** What to do about a claim someone else holds. An unreadable record is treated as an expired lease. */
export function decideExistingClaim(record: ClaimRecord | undefined, nowMs: number): ExistingClaimDecision {
  if (record === undefined) return "take-over";
  if (record.state === "published") return "published";
  const until = Date.parse(record.leaseUntil);
  return Number.isFinite(until) && until > nowMs ? "busy" : "take-over";
}

/** Longest lease, whatever the caller's deadline (CLI runs may have none). */
export const MAX_LEASE_MS = 10 * 60_000;
/** Added to the lease for clock differences between containers. */
export const LEASE_MARGIN_MS = 30_000;

/**
 * A claim must outlive the claimant's attempt to publish and record it. The
 * claimant stops at its hard deadline (Fn kills the container then), so the
 * lease ends at that deadline plus a margin, capped at `MAX_LEASE_MS`.
 */
export function leaseUntilMs(nowMs: number, hardDeadlineMs: number): number {
  return Math.min(hardDeadlineMs, nowMs + MAX_LEASE_MS) + LEASE_MARGIN_MS;
}
