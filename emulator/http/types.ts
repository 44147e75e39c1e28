import type { IncomingHttpHeaders } from "node:http";

/** A fully-read request as emulator route handlers see it. */
export interface EmuRequest {
  readonly method: string;
  /** Path exactly as sent (percent-encoded), without the query string. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Path parameters, percent-decoded. */
  readonly params: Record<string, string>;
  /** The `opc-request-id` echoed on the response (the client's, or generated). */
  readonly requestId: string;
  /** Principal that signed the request (keyId or token subject). */
  readonly principal: string;
  /** Name of the matched route, e.g. `aidp.getAsyncOperation`. */
  readonly route: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string | number>;
  /** Objects are sent as JSON; strings and Buffers as is; undefined = empty body. */
  body?: unknown;
}

export type RouteHandler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

export interface RouteDef {
  readonly method: string;
  /** e.g. `/20260430/aiDataPlatforms/:platformId/asyncOperations/:key`. */
  readonly pattern: string;
  /** Unique name used by fault injection and request statistics, e.g. `os.putObject`. */
  readonly name: string;
  readonly handler: RouteHandler;
  /**
   * Whether the request body headers (content-length, x-content-sha256) must be signed.
   * True for JSON POST/PUT; false for Object Storage PutObject/UploadPart, which OCI
   * exempts ("Special Instructions for Object Storage PUT").
   */
  readonly bodySigned?: boolean;
  /**
   * No signature expected: the request carries its own credential (a
   * pre-authenticated request's token in the path).
   */
  readonly unauthenticated?: boolean;
  /**
   * Called for every correctly signed request to this route before fault
   * injection, so attempts answered by an injected fault are seen too (e.g.
   * to record the `opc-retry-token` of each retry).
   */
  readonly observe?: (req: EmuRequest) => void;
}
