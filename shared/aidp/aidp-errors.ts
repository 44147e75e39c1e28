/**
 * Errors of the AIDP client itself. Service and transport failures are the
 * HTTP core's family (`ServiceError`, `TimeoutError`…, from `shared/http`).
 */
import { AidpWatchError } from "../errors/aidp-watch-error.js";

export class AidpClientError extends AidpWatchError {}

/** An argument failed validation before anything was sent. */
export class AidpInputError extends AidpClientError {
  constructor(
    readonly operation: string,
    readonly issues: readonly string[],
  ) {
    super(`${operation}: invalid input: ${issues.join("; ")}`, { context: { operation } });
  }
}
