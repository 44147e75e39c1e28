/**
 * How the signed HTTP core retries, as one data object. Every field has its
 * default next to it; `retryPolicy({...})` validates overrides (unknown keys are
 * rejected, so a typo fails at start-up rather than silently retrying forever).
 *
 * The defaults are sized for an OCI Function with a 30–300 s timeout: at most
 * 5 attempts, waits of at most 8 s, and never longer than the caller's deadline
 * (the core checks the deadline before every retry, whatever these say).
 */
import * as z from "../schema/zod.js";

const wholeMs = z.number().check(z.int(), z.nonnegative());

export const RetryPolicySchema = z.strictObject({
  /** Attempts in total, the first one included. @default 5 */
  maxAttempts: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(20)), 5),
  /** Backoff base: retry n (0-based) waits up to `baseDelayMs * 2^n`. @default 250 */
  baseDelayMs: z._default(wholeMs, 250),
  /** Upper bound of one backoff wait (before jitter picks a value below it). @default 8000 */
  maxDelayMs: z._default(wholeMs, 8_000),
  /** HTTP statuses that are retried. Other 4xx never are. @default [429, 500, 502, 503, 504] */
  retryableStatuses: z._default(z.array(z.number().check(z.int(), z.minimum(100), z.maximum(599))), [429, 500, 502, 503, 504]),
  /** Retry connection errors (refused, reset, DNS) and per-attempt timeouts. @default true */
  retryNetworkErrors: z._default(z.boolean(), true),
  /** Per-attempt timeout, response body included; also capped by the deadline. @default 15000 */
  attemptTimeoutMs: z._default(z.number().check(z.int(), z.positive()), 15_000),
  /**
   * A `Retry-After` longer than this is not waited for: the call fails at once
   * with the service's error. @default 60000
   */
  maxRetryAfterMs: z._default(wholeMs, 60_000),
  /**
   * The least time an attempt is assumed to need. A retry is only started
   * when `wait + minAttemptMs` still fits before the deadline. @default 250
   */
  minAttemptMs: z._default(wholeMs, 250),
});

export type RetryPolicy = z.output<typeof RetryPolicySchema>;
export type RetryPolicyInput = z.input<typeof RetryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze(RetryPolicySchema.parse({}));

/** A policy from overrides (validated), everything else defaulted. */
export function retryPolicy(overrides: RetryPolicyInput = {}): RetryPolicy {
  return RetryPolicySchema.parse(overrides);
}
