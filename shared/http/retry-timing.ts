/**
 * Pure retry timing: no clock, no I/O, randomness injected. `callWithRetry`
 * (call-with-retry.ts) asks `decideRetry` when to try again after a failure
 * the classification table found retryable; unit tests drive it with a seeded
 * random and fixed times.
 */
import type { RetryPolicy } from "./retry-policy.js";

/** A source of uniformly distributed numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/** The backoff cap for retry `retryIndex` (0 = the first retry): `min(maxDelay, base * 2^n)`. */
export function backoffCapMs(policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, retryIndex: number): number {
  const exp = policy.baseDelayMs * 2 ** Math.min(retryIndex, 30);
  return Math.min(policy.maxDelayMs, exp);
}

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff And Jitter): a
 * uniformly random wait in [0, cap]. Spreads a 429 storm's retries instead of
 * synchronising every client on the same schedule.
 */
export function fullJitterDelayMs(
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  retryIndex: number,
  random: RandomSource,
): number {
  const cap = backoffCapMs(policy, retryIndex);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(cap, Math.floor(r * (cap + 1)));
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds (`"3"`, `"1.5"`) or
 * an HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`). Dates in the past give 0.
 * Anything else (empty, negative, garbage) gives `undefined`: ignored.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/[A-Za-z]/.test(v)) return undefined;
  const at = Date.parse(v);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface RetryInput {
  readonly policy: RetryPolicy;
  /** Attempts made so far (1 after the first attempt failed). */
  readonly attempts: number;
  /** Parsed `Retry-After` (ms), if the answer carried one. */
  readonly retryAfterMs?: number | undefined;
  /** Time left before the caller's deadline. */
  readonly remainingMs: number;
  readonly random: RandomSource;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      /**
       * `attempts-exhausted`: `maxAttempts` reached. `retry-after-too-long`: the
       * service asked for a longer wait than `maxRetryAfterMs`. `deadline`: a
       * retry was possible but could not finish before the deadline.
       */
      readonly reason: "attempts-exhausted" | "retry-after-too-long" | "deadline";
      readonly delayMs?: number;
    };

/**
 * When to try again after a failure that `classifyFailure`
 * (retry-classification.ts) found retryable. `Retry-After` takes precedence
 * over the backoff (the service knows best when it can take traffic again);
 * the wait plus `minAttemptMs` must fit in the time left, or the call fails now.
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const { policy } = input;
  if (input.attempts >= policy.maxAttempts) return { retry: false, reason: "attempts-exhausted" };
  let delayMs: number;
  if (input.retryAfterMs !== undefined) {
    if (input.retryAfterMs > policy.maxRetryAfterMs) return { retry: false, reason: "retry-after-too-long", delayMs: input.retryAfterMs };
    delayMs = input.retryAfterMs;
  } else {
    delayMs = fullJitterDelayMs(policy, input.attempts - 1, input.random);
  }
  if (delayMs + policy.minAttemptMs > input.remainingMs) return { retry: false, reason: "deadline", delayMs };
  return { retry: true, delayMs };
}
