/**
 * The error family of the signed HTTP core (and of the OCI SDK adapters, via
 * `toHttpError`). Every member says which call failed (`operation`), against
 * which endpoint (`METHOD origin/path`, never the query), after how many
 * attempts, with which `opc-request-id` we sent (`clientRequestId`) and which
 * the service echoed (`opcRequestId`), and whether we stopped retrying because
 * the caller's deadline left no room for another attempt (`deadlineLimited`).
 */
import { AidpWatchError, type ErrorContext } from "../errors/aidp-watch-error.js";

export interface HttpErrorDetails {
  readonly operation: string;
  readonly endpoint: string;
  /** Attempts made when the error was thrown (1 = no retry). */
  readonly attempts?: number;
  /** The `opc-request-id` we sent. */
  readonly clientRequestId?: string | undefined;
  /** The `opc-request-id` the service answered with (usually the same as ours). */
  readonly opcRequestId?: string | undefined;
  /** True when a retry was possible but would not have finished before the deadline. */
  readonly deadlineLimited?: boolean;
  readonly cause?: unknown;
  readonly context?: ErrorContext;
}

export class HttpError extends AidpWatchError {
  readonly operation: string;
  readonly endpoint: string;
  /** Set by `callWithRetry` when the call ends (see `recordAttempts`). */
  attempts: number;
  readonly clientRequestId: string | undefined;
  readonly opcRequestId: string | undefined;
  /** Set by `callWithRetry` when the call ends (see `recordAttempts`). */
  deadlineLimited: boolean;

  constructor(message: string, details: HttpErrorDetails) {
    super(message, {
      cause: details.cause,
      context: {
        operation: details.operation,
        endpoint: details.endpoint,
        attempts: details.attempts ?? 1,
        clientRequestId: details.clientRequestId,
        opcRequestId: details.opcRequestId ?? details.clientRequestId,
        ...(details.deadlineLimited ? { deadlineLimited: true } : {}),
        ...details.context,
      },
    });
    this.operation = details.operation;
    this.endpoint = details.endpoint;
    this.attempts = details.attempts ?? 1;
    this.clientRequestId = details.clientRequestId;
    this.opcRequestId = details.opcRequestId ?? details.clientRequestId;
    this.deadlineLimited = details.deadlineLimited ?? false;
  }

  /**
   * The retry helper records, on the error a call ends with, how many attempts
   * were made and whether the deadline stopped further ones (an attempt's error
   * is built before anyone knows it will be the last).
   */
  recordAttempts(attempts: number, deadlineLimited: boolean): this {
    this.attempts = attempts;
    this.deadlineLimited = this.deadlineLimited || deadlineLimited;
    const { deadlineLimited: _was, ...rest } = this.context;
    (this as { context: ErrorContext }).context = { ...rest, attempts, ...(this.deadlineLimited ? { deadlineLimited: true } : {}) };
    return this;
  }
}

/** The service answered with a non-2xx status and (usually) an OCI error body `{ code, message }`. */
export class ServiceError extends HttpError {
  readonly status: number;
  /** OCI error code, e.g. `NotAuthorizedOrNotFound`; `Unknown` when the body had none. */
  readonly code: string;
  readonly serviceMessage: string;
  /** Parsed `Retry-After`, in ms, when the service sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, code: string, serviceMessage: string, details: HttpErrorDetails & { retryAfterMs?: number | undefined }) {
    super(`${details.operation} failed: ${status} ${code}: ${serviceMessage}`, {
      ...details,
      context: { status, code, ...details.context },
    });
    this.status = status;
    this.code = code;
    this.serviceMessage = serviceMessage;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** One attempt took longer than the policy's per-attempt timeout. */
export class TimeoutError extends HttpError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number, details: HttpErrorDetails, message = `${details.operation} timed out after ${timeoutMs} ms`) {
    super(message, { ...details, context: { timeoutMs, ...details.context } });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's deadline passed (before or during an attempt). Never retried. */
export class DeadlineExceededError extends TimeoutError {
  constructor(details: HttpErrorDetails & { deadline: string }) {
    super(
      0,
      { ...details, deadlineLimited: true, context: { deadline: details.deadline, ...details.context } },
      `${details.operation} exceeded its deadline ${details.deadline}`,
    );
  }
}

/** No HTTP answer: connection refused or reset, DNS failure, socket closed mid-body. */
export class NetworkError extends HttpError {
  /** Low-level code when known (`ECONNRESET`, `ECONNREFUSED`, `UND_ERR_SOCKET`…). */
  readonly code: string | undefined;
  constructor(message: string, details: HttpErrorDetails & { code?: string | undefined }) {
    super(`${details.operation} failed: ${message}`, { ...details, context: { networkCode: details.code, ...details.context } });
    this.code = details.code;
  }
}

/** The caller's AbortSignal fired. Never retried. */
export class RequestAbortedError extends HttpError {
  constructor(details: HttpErrorDetails) {
    super(`${details.operation} was aborted by the caller`, details);
  }
}

export interface ResponseIssue {
  readonly path: string;
  readonly message: string;
}

/** A 2xx answer that is not JSON, or JSON that does not match the expected schema. */
export class InvalidResponseError extends HttpError {
  /** At most `MAX_ISSUES` schema issues (empty for malformed JSON). */
  readonly issues: readonly ResponseIssue[];
  readonly status: number;
  constructor(reason: string, details: HttpErrorDetails & { status: number; issues?: readonly ResponseIssue[] }) {
    const issues = details.issues ?? [];
    const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    super(`${details.operation} returned an invalid response: ${reason}${summary ? ` (${summary})` : ""}`, {
      ...details,
      context: { status: details.status, issueCount: issues.length, ...details.context },
    });
    this.issues = issues;
    this.status = details.status;
  }
}

export const MAX_ISSUES = 10;

/** The first `HttpError` in `err` or its `cause` chain (adapters wrap them, e.g. `ObjectStoreError`). */
export function httpErrorIn(err: unknown): HttpError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof HttpError) return e;
  }
  return undefined;
}

/** True when `err` (or what it wraps) is the deadline cutting a request short. */
export function isDeadlineExceeded(err: unknown): boolean {
  return httpErrorIn(err) instanceof DeadlineExceededError;
}
