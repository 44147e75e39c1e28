import type { HttpError } from "../http/http-errors.js";
import { ServiceError } from "../http/http-errors.js";
import type { RetryPolicy } from "../http/retry-policy.js";
import { decideRetry, type RandomSource } from "../http/retry-timing.js";
import { type Logger, silentLogger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { toHttpError } from "./to-http-error.js";

/**
 * Runs an SDK call with our retry policy instead of the SDK's: the SDK never
 * retries stream bodies (which we send, see oci-object-store.ts) and ONS's
 * publish has no retry at all. Each failure becomes a typed `HttpError`; the
 * same pure `decideRetry` as the signed HTTP core decides whether and when to
 * try again, bounded by the deadline. `call` must build a fresh request each
 * time (a fresh stream). `giveUp` maps the final error (default: rethrow it).
 */
export interface SdkRetryOptions {
  readonly policy: RetryPolicy;
  readonly deadline: Deadline;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger?: Logger;
  readonly giveUp?: (error: HttpError, attempts: number, reason: string) => Error;
}

export async function retrySdkCall<T>(operation: string, call: () => Promise<T>, options: SdkRetryOptions): Promise<T> {
  const logger = options.logger ?? silentLogger;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const error = toHttpError(err, { operation });
      const status = error instanceof ServiceError ? error.status : undefined;
      const decision = decideRetry({
        policy: options.policy,
        attempts: attempt,
        failure: status === undefined ? "network" : "status",
        status,
        // oci-common's OciError carries no response headers, so a service's
        // `Retry-After` rarely reaches us: backoff with full jitter applies then.
        retryAfterMs: error instanceof ServiceError ? error.retryAfterMs : undefined,
        remainingMs: options.deadline.remainingMs(),
        random: options.random,
      });
      if (!decision.retry) throw options.giveUp ? options.giveUp(error, attempt, decision.reason) : error;
      logger.debug("retrying an SDK call", { operation, attempt, delayMs: decision.delayMs, status });
      await options.clock.sleep(decision.delayMs);
    }
  }
}
