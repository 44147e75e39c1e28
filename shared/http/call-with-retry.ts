/**
 * The one retry loop of aidp-watch. Every request of every client goes
 * through it: the signed AIDP client, the Object Storage and Notifications
 * adapters over the OCI SDK (whose own retrier is switched off), and any
 * client added later. Nothing retries around it, so a request is attempted at
 * most `policy.maxAttempts` times, however deep the caller.
 *
 * Each attempt
 * - gets `min(policy.attemptTimeoutMs, time left before deadline)`; when that
 *   passes, the attempt's AbortSignal fires, which closes the socket (our
 *   transport and, through `runInAttempt`, the SDK clients' fetch both take
 *   it), and the failure is a `TimeoutError`, or a `DeadlineExceededError`
 *   when the deadline was the limit;
 * - fails into one of the typed `HttpError`s (`toHttpError` converts what an
 *   SDK throws); `classifyFailure` (retry-classification.ts) says whether
 *   another attempt could succeed, `decideRetry` (retry-timing.ts) when:
 *   `Retry-After` first, else full-jitter backoff, never a wait that leaves
 *   less than `minAttemptMs` before the deadline.
 * The error the call ends with records the attempts made and whether the
 * deadline stopped further ones (`deadlineLimited`).
 */
import { type Logger, silentLogger } from "../log/logger.js";
import { type Clock, systemClock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { runInAttempt } from "./attempt-scope.js";
import { DeadlineExceededError, HttpError, RequestAbortedError, TimeoutError } from "./http-errors.js";
import { classifyFailure } from "./retry-classification.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";
import { decideRetry, type RandomSource } from "./retry-timing.js";

export interface RetryCallOptions {
  /** Name used in errors and logs, e.g. `os.putObject`. */
  readonly operation: string;
  /** `METHOD origin/path`, for errors raised here (timeouts, deadline, abort). */
  readonly endpoint: string;
  /** Bounds every attempt and every wait; the caller passes its invocation's (work or hard) deadline. */
  readonly deadline: Deadline;
  /** @default DEFAULT_RETRY_POLICY */
  readonly policy?: RetryPolicy;
  /** Times attempts and waits. @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: RandomSource;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Cancels the call (attempt in flight and waits) with `RequestAbortedError`. */
  readonly signal?: AbortSignal | undefined;
  /**
   * False for a request that a service may act on twice when repeated (ONS
   * publish): then only failures where it surely did not act are retried
   * (see the table in retry-classification.ts). @default true
   */
  readonly idempotent?: boolean;
  /** Our `opc-request-id`, for errors raised here. */
  readonly clientRequestId?: string;
  /** Turns what an attempt threw into an `HttpError` (e.g. the SDK's `OciError`); others pass through and are final. */
  readonly toHttpError?: (thrown: unknown) => unknown;
}

export interface Attempt {
  /** 1 for the first attempt. */
  readonly number: number;
  /** Fires when this attempt must stop (its timeout, the deadline, or the caller's signal). */
  readonly signal: AbortSignal;
}

export async function callWithRetry<T>(options: RetryCallOptions, attempt: (a: Attempt) => Promise<T>): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const { deadline, signal } = options;
  const details = { operation: options.operation, endpoint: options.endpoint, clientRequestId: options.clientRequestId };

  for (let number = 1; ; number++) {
    if (signal?.aborted) throw new RequestAbortedError({ ...details, attempts: number - 1, cause: signal.reason });
    if (deadline.expired) throw new DeadlineExceededError({ ...details, attempts: number - 1, deadline: deadline.toISOString() });

    // The attempt's own timeout, cut by the deadline; driven by the injected clock.
    const remaining = deadline.remainingMs();
    const budgetMs = Math.max(0, Math.min(policy.attemptTimeoutMs, remaining));
    const cutByDeadline = remaining <= policy.attemptTimeoutMs;
    const controller = new AbortController();
    const stopTimer = new AbortController();
    let timedOut = false;
    clock.sleep(budgetMs, stopTimer.signal).then(
      () => {
        timedOut = true;
        controller.abort(new Error(`attempt timeout after ${budgetMs} ms`));
      },
      () => {},
    );
    const onCallerAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onCallerAbort, { once: true });

    let error: unknown;
    try {
      return await raceAbort(
        controller.signal,
        runInAttempt(controller.signal, () => attempt({ number, signal: controller.signal })),
      );
    } catch (thrown) {
      if (signal?.aborted) throw new RequestAbortedError({ ...details, attempts: number, cause: signal.reason });
      if (timedOut) {
        // Whatever the aborted request threw (AbortError, a plain object from the SDK), the cause is our timeout.
        error = cutByDeadline
          ? new DeadlineExceededError({ ...details, attempts: number, deadline: deadline.toISOString(), cause: thrown })
          : new TimeoutError(budgetMs, { ...details, attempts: number, cause: thrown });
      } else {
        error = options.toHttpError ? options.toHttpError(thrown) : thrown;
      }
    } finally {
      stopTimer.abort();
      signal?.removeEventListener("abort", onCallerAbort);
    }

    const c = classifyFailure(error, policy, options.idempotent ?? true);
    if (!c.retryable) {
      if (error instanceof HttpError) error.recordAttempts(number, false);
      logger.debug("request failed", { operation: options.operation, attempts: number, reason: c.reason, error });
      throw error;
    }
    const decision = decideRetry({ policy, attempts: number, retryAfterMs: c.retryAfterMs, remainingMs: deadline.remainingMs(), random });
    if (!decision.retry) {
      if (error instanceof HttpError) error.recordAttempts(number, decision.reason === "deadline");
      logger.debug("request failed", { operation: options.operation, attempts: number, reason: decision.reason, error });
      throw error;
    }
    logger.debug("retrying a request", {
      operation: options.operation,
      attempt: number,
      delayMs: decision.delayMs,
      failure: c.failure,
      status: c.status,
    });
    try {
      await clock.sleep(decision.delayMs, signal);
    } catch (cause) {
      throw new RequestAbortedError({ ...details, attempts: number, cause });
    }
  }
}

/**
 * The attempt's promise, or a rejection as soon as its signal fires: even a
 * client that ignored the signal cannot keep the call past its timeout (our
 * clients do pass it on, so their socket is closed as well).
 */
function raceAbort<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  // A late rejection of the abandoned work must not surface as unhandled.
  work.catch(() => {});
  return Promise.race([work, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  });
}
