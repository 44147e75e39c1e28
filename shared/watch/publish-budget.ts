/**
 * The per-topic publish budget as a sliding one-minute window: ONS accepts 60
 * messages per minute per topic, and a fixed window would let two bursts of
 * `budget` meet across a minute boundary. The state is the list of recent
 * grants; a grant is what is left of `perMinute` over the last 60 s.
 */
import * as z from "../schema/zod.js";

export const BUDGET_WINDOW_MS = 60_000;

export const BudgetStateSchema = z.object({
  grants: z._default(z.array(z.object({ at: z.number(), n: z.number().check(z.int(), z.positive()) })), []),
});
export type BudgetState = z.output<typeof BudgetStateSchema>;

export function emptyBudget(): BudgetState {
  return { grants: [] };
}

export function usedInWindow(state: BudgetState, nowMs: number): number {
  return state.grants.filter((g) => g.at > nowMs - BUDGET_WINDOW_MS && g.at <= nowMs).reduce((n, g) => n + g.n, 0);
}

/** Grants up to `requested` publishes now; returns the grant and the state to save. */
export function grantPublishes(
  state: BudgetState,
  nowMs: number,
  requested: number,
  perMinute: number,
): { granted: number; state: BudgetState } {
  const recent = state.grants.filter((g) => g.at > nowMs - BUDGET_WINDOW_MS && g.at <= nowMs);
  const used = recent.reduce((n, g) => n + g.n, 0);
  const granted = Math.max(0, Math.min(requested, perMinute - used));
  return { granted, state: { grants: granted > 0 ? [...recent, { at: nowMs, n: granted }] : recent } };
}

/** How many announcements go out one by one and whether the rest is folded into a digest. */
export interface PublishPlan {
  readonly individual: number;
  /** Announcements listed in the digest (they fill what the digest can hold; the rest waits). */
  readonly digest: number;
  /** Left for the next sweep: no budget this minute. */
  readonly deferred: number;
}

/**
 * With `tokens` publishes granted for `count` due announcements: all
 * individually when they fit; otherwise `tokens − 1` individually and one
 * digest for the rest (at least two); nothing without a token.
 */
export function planPublishes(count: number, tokens: number): PublishPlan {
  if (count <= 0) return { individual: 0, digest: 0, deferred: 0 };
  if (tokens >= count) return { individual: count, digest: 0, deferred: 0 };
  if (tokens <= 0) return { individual: 0, digest: 0, deferred: count };
  // tokens < count, so the digest always lists at least two.
  return { individual: tokens - 1, digest: count - (tokens - 1), deferred: 0 };
}
