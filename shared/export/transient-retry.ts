import { DeadlineExceededError, HttpError, NetworkError, ServiceError, TimeoutError } from "../http/http-errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry-policy.js";
import { decideRetry, type FailureKind, type RandomSource } from "../http/retry-timing.js";
import type { Logger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";

/**
 * Retries one export step that the clients cannot retry on their own: a
 * part streamed from the decoder into a multipart upload can't be replayed by
 * the Object Storage adapter (the stream is consumed), but the exporter can
 * decode the part again. Buffered puts and AIDP calls are already retried by
 * their clients, so they don't go through here (retries would multiply).
 *
 * Same decisions as the HTTP core (`decideRetry`: retryable statuses,
 * network errors, full-jitter backoff, never past the deadline), on the
 * `HttpError` found in the error or its `cause` chain. Anything else (a
 * decode error, a 412, a 4xx) is final.
 */
export interface RetryContext {
  readonly deadline: Deadline;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy?: RetryPolicy;
  readonly random?: RandomSource;
}

function httpErrorIn(err: unknown): HttpError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof HttpError) return e;
  }
  return undefined;
}

export function failureKind(err: unknown): { kind: FailureKind; status?: number; retryAfterMs?: number | undefined } | undefined {
  const http = httpErrorIn(err);
  if (http === undefined || http instanceof DeadlineExceededError) return undefined;
  if (http instanceof ServiceError) return { kind: "status", status: http.status, retryAfterMs: http.retryAfterMs };
  if (http instanceof TimeoutError) return { kind: "timeout" };
  if (http instanceof NetworkError) return { kind: "network" };
  return undefined;
}

/** True when another attempt could succeed (5xx, 429, network, per-attempt timeout). */
export function isTransient(err: unknown, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  const f = failureKind(err);
  if (f === undefined) return false;
  return f.kind === "status" ? f.status !== undefined && policy.retryableStatuses.includes(f.status) : policy.retryNetworkErrors;
}

export async function withTransientRetry<T>(operation: string, ctx: RetryContext, attempt: (n: number) => Promise<T>): Promise<T> {
  const policy = ctx.policy ?? DEFAULT_RETRY_POLICY;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const f = failureKind(err);
      if (f === undefined) throw err;
      const decision = decideRetry({
        policy,
        attempts: n,
        failure: f.kind,
        status: f.status,
        retryAfterMs: f.retryAfterMs,
        remainingMs: ctx.deadline.remainingMs(),
        random: ctx.random ?? Math.random,
      });
      if (!decision.retry) throw err;
      ctx.logger.info("retrying export step after a transient failure", { operation, attempt: n, delayMs: decision.delayMs, error: err });
      await ctx.clock.sleep(decision.delayMs);
    }
  }
}
