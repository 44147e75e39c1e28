import type * as common from "oci-common";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry-policy.js";
import { backoffCapMs, fullJitterDelayMs, isRetryableFailure, type RandomSource } from "../http/retry-timing.js";
import type { Deadline } from "../time/deadline.js";

/**
 * A `retryConfiguration` for oci-common generated clients (Object Storage,
 * Notifications) that follows our `RetryPolicy` and the caller's deadline,
 * instead of the SDK default (8 attempts, ~95 s, longer than a function's
 * timeout):
 * - at most `policy.maxAttempts` attempts (`MaxAttemptsTerminationStrategy` semantics);
 * - full-jitter exponential waits from `policy.baseDelayMs`/`maxDelayMs`;
 * - it stops as soon as the longest possible next wait plus `minAttemptMs`
 *   would not fit before the deadline, and records that (`stoppedByDeadline`)
 *   so `toHttpError` can mark the error as deadline-limited;
 * - retries `policy.retryableStatuses` whatever the error code (the SDK default
 *   retries 429 only with code TooManyRequests).
 *
 * Use one per call (`{ ...request, retryConfiguration: sdkRetryConfiguration(deadline) }`)
 * to bound that call by its own deadline; the client factory installs one bound
 * by the factory's deadline as the client default.
 */
export interface DeadlineRetryConfiguration extends common.RetryConfiguration {
  readonly terminationStrategy: common.TerminationStrategy;
  readonly delayStrategy: common.DelayStrategy;
  readonly retryCondition: (error: common.OciError) => boolean;
  /** True once the termination strategy stopped retries because of the deadline. */
  readonly stoppedByDeadline: boolean;
}

export function sdkRetryConfiguration(deadline: Deadline, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: RandomSource = Math.random): DeadlineRetryConfiguration {
  let stoppedByDeadline = false;
  return {
    terminationStrategy: {
      shouldTerminate(context: { readonly attemptCount: number }): boolean {
        // attemptCount = retries already made (0 after the first failure).
        if (context.attemptCount + 1 >= policy.maxAttempts) return true;
        const worstWait = backoffCapMs(policy, context.attemptCount);
        if (!deadline.allows(worstWait + policy.minAttemptMs)) {
          stoppedByDeadline = true;
          return true;
        }
        return false;
      },
    },
    delayStrategy: {
      // Seconds, as oci-common expects.
      delay(context: { readonly attemptCount: number }): number {
        return fullJitterDelayMs(policy, context.attemptCount, random) / 1000;
      },
    },
    retryCondition: (error: common.OciError) => {
      const status = Number(error.statusCode);
      if (!Number.isFinite(status) || status <= 0) return isRetryableFailure(policy, "network");
      return isRetryableFailure(policy, "status", status);
    },
    get stoppedByDeadline() {
      return stoppedByDeadline;
    },
  };
}
