/**
 * Turns whatever an oci-common generated client throws into our `HttpError`
 * family:
 * - `OciError` (an HTTP answer) → `ServiceError` (status, code, message, opc-request-id);
 * - the plain object `{ message: "fetch failed", code?, requestEndpoint, troubleshootingPage }`
 *   its retrier throws on connection errors → `NetworkError`;
 * - a circuit-breaker rejection (`EOPENBREAKER`) → `NetworkError` with that code;
 * - anything else → `HttpError` with the value described on one line.
 * Our own `HttpError`s pass through unchanged.
 */
import * as common from "oci-common";
import { describeError } from "../errors/aidp-watch-error.js";
import { HttpError, NetworkError, ServiceError } from "../http/http-errors.js";

export interface SdkCallInfo {
  /** e.g. `os.putObject`, `ons.publishMessage`. */
  readonly operation: string;
  /** e.g. `PUT https://objectstorage…/n/ns/b/bucket/o/name`; defaults to the error's `requestEndpoint`. */
  readonly endpoint?: string;
  /** Our `opc-request-id`, when the call was given one. */
  readonly clientRequestId?: string;
  /** True when the deadline stopped further attempts. */
  readonly deadlineLimited?: boolean;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null && key in obj ? (obj as Record<string, unknown>)[key] : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function toHttpError(err: unknown, info: SdkCallInfo): HttpError {
  if (err instanceof HttpError) return err;
  const endpoint = info.endpoint ?? str(field(err, "requestEndpoint")) ?? "unknown";
  const base = {
    operation: info.operation,
    endpoint,
    clientRequestId: info.clientRequestId,
    deadlineLimited: info.deadlineLimited ?? false,
    cause: err,
  };
  if (err instanceof common.OciError) {
    const status = Number(err.statusCode);
    if (Number.isFinite(status) && status >= 100) {
      return new ServiceError(status, err.serviceCode || "Unknown", err.message || `HTTP ${status}`, {
        ...base,
        opcRequestId: err.opcRequestId ?? undefined,
      });
    }
    return new NetworkError(err.message || "request failed", { ...base, code: str(err.statusCode) ?? str(err.serviceCode) });
  }
  const message = str(field(err, "message"));
  const code = str(field(err, "code"));
  if (message !== undefined && !(err instanceof Error)) {
    // oci-common's retrier: `{ code, message: "fetch failed", requestEndpoint, troubleshootingPage }`.
    return new NetworkError(message, { ...base, code });
  }
  if (err instanceof TypeError && message === "fetch failed") {
    const inner = err.cause;
    return new NetworkError(inner instanceof Error ? inner.message : message, { ...base, code: str(field(inner, "code")) });
  }
  return new HttpError(`${info.operation} failed: ${describeError(err)}`, base);
}
