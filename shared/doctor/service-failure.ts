/**
 * The service answer behind an error, wherever it sits in the `cause` chain
 * (adapters wrap the HTTP error in their own family), as doctor reports it:
 * status, code and `opc-request-id`, plus the attempts made.
 */
import { describeError } from "../errors/aidp-watch-error.js";
import { HttpError, ServiceError } from "../http/http-errors.js";

export interface ServiceFailure {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly text: string;
}

export function serviceFailure(err: unknown): ServiceFailure {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof ServiceError) {
      return {
        status: e.status,
        code: e.code,
        text: `${e.status} ${e.code} (opc-request-id ${e.opcRequestId ?? "-"}, ${e.attempts} attempt${e.attempts === 1 ? "" : "s"})`,
      };
    }
    if (e instanceof HttpError)
      return { status: undefined, code: undefined, text: `${e.message} (${e.attempts} attempt${e.attempts === 1 ? "" : "s"})` };
    e = e.cause;
  }
  return { status: undefined, code: undefined, text: describeError(err) };
}

/** Throttled (429): not a configuration problem; doctor says to wait, not to change anything. */
export function isThrottled(f: ServiceFailure): boolean {
  return f.status === 429;
}

export const THROTTLED_FIX =
  "none needed in the configuration: the service is throttling (429 TooManyRequests); run doctor again in a minute, and lower AIDP_WATCH_AIDP_CONCURRENCY if the functions keep hitting it";
