/**
 * The one table that says which failures are worth another attempt, for every
 * client aidp-watch has (the signed AIDP client, the Object Storage and
 * Notifications SDK clients, and any added later: they all go through
 * `callWithRetry`, which asks `classifyFailure`).
 *
 * | failure                                        | idempotent call | non-idempotent call (ONS publish) |
 * |------------------------------------------------|-----------------|-----------------------------------|
 * | 429 (any code)                                 | retry           | retry (not accepted: safe)        |
 * | 500, 502, 503, 504 (`policy.retryableStatuses`)| retry           | final (may have been accepted)    |
 * | 409 (`IncorrectState`, `Conflict`…)            | final           | final                             |
 * | other 4xx (400, 401, 404, 412…), 501          | final           | final                             |
 * | connection refused (`ECONNREFUSED`)            | retry           | retry (never reached the service) |
 * | other network errors (reset, DNS, cut body)    | retry           | final (may have been accepted)    |
 * | per-attempt timeout (socket closed by us)      | retry           | final (may have been accepted)    |
 * | deadline passed, caller abort                  | final           | final                             |
 * | anything else: our own bug (`TypeError`…),     | final           | final                             |
 * | a schema mismatch (`InvalidResponseError`), a  |                 |                                   |
 * | signing failure, a decode error                |                 |                                   |
 *
 * Why these choices:
 * - The OCI SDKs retry by default 500/502/503/504, 429 with code
 *   `TooManyRequests`, 409 with code `IncorrectState`, and *every* error
 *   without an HTTP status (oci-common `DefaultRetryCondition`). We keep the
 *   statuses, but retry 429 whatever its code (a 429 is never acted upon), and
 *   we never retry a failure that has no HTTP or network meaning: oci-common
 *   would retry a `TypeError` thrown by our own code, which only repeats the
 *   bug and hides it behind a timeout.
 * - 409 `IncorrectState`, which the SDKs retry, is final here. It says the
 *   resource's state conflicts with the request: for the one action we send
 *   (AIDP cancel) that state is usually terminal (cancelling a finished
 *   operation) and no retry can change it; where it is a transition (a topic
 *   being updated), it lasts minutes, longer than the seconds of backoff an
 *   invocation can afford, and the next sweep tries again anyway. Our reads
 *   never get a 409, and conditional writes get 412.
 * - A call that is not idempotent (ONS `PublishMessage` has no retry token) is
 *   retried only when the service surely did not act on it; otherwise the
 *   caller decides (the announcer leaves the announcement pending for the next
 *   sweep, which a claim keeps from being sent twice).
 * - `Retry-After` and the backoff are applied by `decideRetry`
 *   (retry-timing.ts); the deadline caps both there and in `callWithRetry`.
 */
import { DeadlineExceededError, HttpError, NetworkError, RequestAbortedError, ServiceError, TimeoutError } from "./http-errors.js";
import type { RetryPolicy } from "./retry-policy.js";

export type Classification =
  | {
      readonly retryable: true;
      readonly failure: "status" | "network" | "timeout";
      readonly status?: number;
      readonly retryAfterMs?: number | undefined;
    }
  | { readonly retryable: false; readonly reason: string };

/** Statuses after which a non-idempotent request was surely not acted upon. */
const NOT_ACCEPTED_STATUSES: ReadonlySet<number> = new Set([429]);

export function classifyFailure(error: unknown, policy: RetryPolicy, idempotent = true): Classification {
  if (!(error instanceof HttpError)) return { retryable: false, reason: "not an HTTP or network failure" };
  if (error instanceof RequestAbortedError) return { retryable: false, reason: "aborted by the caller" };
  if (error instanceof DeadlineExceededError) return { retryable: false, reason: "deadline" };
  if (error instanceof ServiceError) {
    const status = error.status;
    if (!policy.retryableStatuses.includes(status)) return { retryable: false, reason: `status ${status} is final` };
    if (!idempotent && !NOT_ACCEPTED_STATUSES.has(status)) return { retryable: false, reason: `status ${status} on a non-idempotent call` };
    return { retryable: true, failure: "status", status, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof TimeoutError) {
    if (!policy.retryNetworkErrors) return { retryable: false, reason: "network retries are off" };
    if (!idempotent) return { retryable: false, reason: "timeout on a non-idempotent call" };
    return { retryable: true, failure: "timeout" };
  }
  if (error instanceof NetworkError) {
    if (!policy.retryNetworkErrors) return { retryable: false, reason: "network retries are off" };
    if (!idempotent && error.code !== "ECONNREFUSED") return { retryable: false, reason: "network error on a non-idempotent call" };
    return { retryable: true, failure: "network" };
  }
  return { retryable: false, reason: "not a transient HTTP failure" };
}

/** True when another attempt of an idempotent call could succeed. */
export function isTransient(error: unknown, policy: RetryPolicy): boolean {
  return classifyFailure(error, policy).retryable;
}
