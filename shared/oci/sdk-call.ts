/**
 * One OCI SDK request (Object Storage, Notifications) through the one retry
 * loop, `callWithRetry`: the client's own retrier is off
 * (`ociClientConfiguration` installs `NoRetryConfigurationDetails`), each
 * attempt runs with its own abort signal, which the client's fetch takes
 * (attempt-scope.ts), and what the SDK throws becomes a typed `HttpError`
 * (`toHttpError`). `send` must build a fresh request each time (a fresh body
 * stream) and read the whole answer, so a body that hangs is cut too.
 */
import * as common from "oci-common";
import { type Attempt, callWithRetry, type RetryCallOptions } from "../http/call-with-retry.js";
import { HttpError } from "../http/http-errors.js";
import { type SdkCallInfo, toHttpError } from "./to-http-error.js";

export type SdkCallOptions = Omit<RetryCallOptions, "toHttpError" | "endpoint"> & { readonly endpoint?: string };

export function sdkCall<T>(options: SdkCallOptions, send: (attempt: Attempt) => Promise<T>): Promise<T> {
  const info: SdkCallInfo = { operation: options.operation, ...(options.endpoint ? { endpoint: options.endpoint } : {}) };
  return callWithRetry(
    { ...options, endpoint: options.endpoint ?? options.operation, toHttpError: (thrown) => sdkFailure(thrown, info) },
    send,
  );
}

/**
 * What an SDK call threw, as `callWithRetry` should see it: answers and
 * network failures as `HttpError`s; an `Error` that is neither (a `TypeError`
 * from our code or the SDK's) passes through unchanged, so it is never
 * retried and never disguised as a service failure.
 */
export function sdkFailure(thrown: unknown, info: SdkCallInfo): unknown {
  const isProgrammingError =
    thrown instanceof Error &&
    !(thrown instanceof HttpError) &&
    !(thrown instanceof common.OciError) &&
    typeof (thrown as { code?: unknown }).code !== "string" &&
    thrown.message !== "fetch failed";
  return isProgrammingError ? thrown : toHttpError(thrown, info);
}
