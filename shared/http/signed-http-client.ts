/**
 * The signed HTTP core: signs each attempt with oci-common's
 * `DefaultRequestSigner` and sends it through our transport (minipass-fetch,
 * shared/http/transport.ts), signing exactly the URL that is sent (after
 * WHATWG normalisation, which minipass-fetch applies too) and a string body.
 *
 * Attempts, timeouts and retries are `callWithRetry`'s (the one retry loop):
 * each attempt is bounded by `min(policy.attemptTimeoutMs, time left before
 * the caller's Deadline)` and really aborted (socket closed) when that
 * passes. Failures are one typed family (`HttpError`); successful bodies are
 * parsed with the caller's zod schema: from text, or, for a request with
 * `largeStrings` (fetchOutput), from the body's bytes with long ASCII strings
 * kept as those bytes (`AsciiText`).
 */
import * as common from "oci-common";
import * as z from "../schema/zod.js";
import { parseJsonWithLargeStrings } from "../decode/large-string-json.js";
import { describeError } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import { type Clock, systemClock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { parseErrorBody } from "./error-body.js";
import { callWithRetry } from "./call-with-retry.js";
import { HttpError, type HttpErrorDetails, InvalidResponseError, MAX_ISSUES, NetworkError, ServiceError } from "./http-errors.js";
import { newRequestId, newRetryToken, RequestIdSchema, RetryTokenSchema } from "./request-id.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";
import { parseRetryAfter, type RandomSource } from "./retry-timing.js";
import { bodyBytes, bodyText, createHeaders, type Response, send } from "./transport.js";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Per-call options every client method takes. */
export interface CallOptions {
  /** Bounds every attempt and every wait of this call (a function passes its `Fn-Deadline`). */
  readonly deadline: Deadline;
  /** `opc-request-id` to send; a fresh one is made when absent. */
  readonly requestId?: string;
  /** Cancels the call (in-flight attempt and retry waits) with `RequestAbortedError`. */
  readonly signal?: AbortSignal;
}

export interface SignedRequest<T> {
  readonly method: HttpMethod;
  /** Absolute URL, path parameters already percent-encoded. */
  readonly url: string;
  /** Name used in errors and logs, e.g. `aidp.getAsyncOperation`. */
  readonly operation: string;
  /** Parses the 2xx body (`undefined` when the body is empty). */
  readonly schema: z.core.$ZodType<T>;
  /** Sent as JSON (`JSON.stringify`), or as is when a string. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Read the body as bytes and parse it with `parseJsonWithLargeStrings`: every
   * string of at least `LARGE_STRING_BYTES` that is plain ASCII (a base64
   * payload) reaches `schema` as an `AsciiText` over those bytes, so the body
   * is held once, as bytes, never as a JSON text nor as a JS string of the
   * value. The schema must accept `AsciiText` where such strings can be.
   * @default false (the body is read as text and `JSON.parse`d)
   */
  readonly largeStrings?: boolean;
  /**
   * `opc-retry-token`. POST calls always send one (a fresh token when not
   * given), the same on every attempt of the call.
   */
  readonly retryToken?: string;
}

export interface HttpResponse<T> {
  readonly data: T;
  readonly status: number;
  /** `opc-request-id` the service answered with. */
  readonly opcRequestId: string | undefined;
  /** `opc-request-id` we sent. */
  readonly clientRequestId: string;
  readonly etag: string | undefined;
  /** `opc-next-page`, for list calls. */
  readonly nextPage: string | undefined;
  readonly attempts: number;
  readonly retryToken: string | undefined;
}

export interface SignedHttpClientOptions {
  readonly provider: common.AuthenticationDetailsProvider;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retryPolicy?: RetryPolicy;
  /** Jitter source. @default Math.random */
  readonly random?: RandomSource;
  /** @default "aidp-watch" */
  readonly userAgent?: string;
}

interface AttemptContext {
  readonly method: HttpMethod;
  readonly url: string;
  readonly endpoint: string;
  readonly body: string | undefined;
  readonly clientRequestId: string;
  readonly retryToken: string | undefined;
  readonly attempt: number;
  /** This attempt's signal (its timeout, the deadline, the caller's abort): closes the socket. */
  readonly signal: AbortSignal;
}

const METHODS_WITH_BODY = new Set<HttpMethod>(["POST", "PUT", "PATCH"]);

export class SignedHttpClient {
  private readonly signer: common.DefaultRequestSigner;
  private readonly clock: Clock;
  private readonly logger: Logger;
  readonly policy: RetryPolicy;
  private readonly random: RandomSource;
  private readonly userAgent: string;

  constructor(options: SignedHttpClientOptions) {
    this.signer = new common.DefaultRequestSigner(options.provider);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.random = options.random ?? Math.random;
    this.userAgent = options.userAgent ?? "aidp-watch";
  }

  async request<T>(req: SignedRequest<T>, opts: CallOptions): Promise<HttpResponse<T>> {
    const parsedUrl = new URL(req.url);
    const url = parsedUrl.href;
    const endpoint = `${req.method} ${parsedUrl.origin}${parsedUrl.pathname}`;
    const base: HttpErrorDetails = { operation: req.operation, endpoint };
    if (opts.requestId !== undefined && !RequestIdSchema.safeParse(opts.requestId).success) {
      throw new HttpError(`${req.operation}: invalid opc-request-id (1–255 letters, digits, _ or -)`, base);
    }
    if (req.retryToken !== undefined && !RetryTokenSchema.safeParse(req.retryToken).success) {
      // The service would answer 400 on every attempt; say so before sending.
      throw new HttpError(`${req.operation}: invalid opc-retry-token (1–64 characters)`, base);
    }
    const clientRequestId = opts.requestId ?? newRequestId();
    const retryToken = req.retryToken ?? (req.method === "POST" ? newRetryToken() : undefined);
    const body =
      req.body === undefined
        ? METHODS_WITH_BODY.has(req.method)
          ? ""
          : undefined
        : typeof req.body === "string"
          ? req.body
          : JSON.stringify(req.body);

    return callWithRetry(
      {
        operation: req.operation,
        endpoint,
        deadline: opts.deadline,
        policy: this.policy,
        clock: this.clock,
        random: this.random,
        logger: this.logger,
        signal: opts.signal,
        clientRequestId,
      },
      ({ number, signal }) =>
        this.attempt(req, { method: req.method, url, endpoint, body, clientRequestId, retryToken, attempt: number, signal }),
    );
  }

  /** One signed attempt; throws a typed `HttpError` that `callWithRetry` classifies. */
  private async attempt<T>(req: SignedRequest<T>, ctx: AttemptContext): Promise<HttpResponse<T>> {
    const details: HttpErrorDetails = {
      operation: req.operation,
      endpoint: ctx.endpoint,
      clientRequestId: ctx.clientRequestId,
      attempts: ctx.attempt,
    };
    const headers = createHeaders({
      accept: "application/json",
      "user-agent": this.userAgent,
      "opc-request-id": ctx.clientRequestId,
      ...req.headers,
    });
    if (ctx.body !== undefined) headers.set("content-type", "application/json");
    // The same token on every attempt of one call: the service then acts on the POST once.
    if (ctx.retryToken !== undefined) headers.set("opc-retry-token", ctx.retryToken);
    if (ctx.attempt > 1) headers.set("opc-client-retries", "true");
    try {
      // The signer's type names the DOM `Headers`; it only calls get/set/has, which minipass-fetch's implements.
      await this.signer.signHttpRequest({
        method: ctx.method,
        uri: ctx.url,
        headers: headers as unknown as globalThis.Headers,
        body: ctx.body,
      });
    } catch (cause) {
      // oci-common sometimes throws strings; describeError keeps it one line. No key material is in these messages.
      throw new HttpError(`${req.operation}: could not sign the request: ${describeError(cause)}`, { ...details, cause });
    }

    let res: Response;
    let body: string | Buffer;
    try {
      res = await send(ctx.url, { method: ctx.method, headers, body: ctx.body, signal: ctx.signal, redirect: "manual" });
      body = req.largeStrings === true ? await bodyBytes(res) : await bodyText(res);
    } catch (cause) {
      const { code, message } = networkCause(cause);
      throw new NetworkError(message, { ...details, code, cause });
    }

    const opcRequestId = res.headers.get("opc-request-id") ?? undefined;
    const withIds: HttpErrorDetails = { ...details, opcRequestId };
    if (res.status < 200 || res.status > 299) {
      const { code, message } = parseErrorBody(body.toString(), res.status, res.statusText);
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), this.clock.now());
      throw new ServiceError(res.status, code, message, { ...withIds, retryAfterMs });
    }

    let json: unknown;
    if (!blank(body)) {
      try {
        json = typeof body === "string" ? JSON.parse(body) : parseJsonWithLargeStrings(body);
      } catch (cause) {
        throw new InvalidResponseError("body is not valid JSON", { ...withIds, status: res.status, cause });
      }
    }
    const parsed = z.safeParse(req.schema, json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
      throw new InvalidResponseError("body does not match the expected schema", { ...withIds, status: res.status, issues });
    }
    return {
      data: parsed.data,
      status: res.status,
      opcRequestId,
      clientRequestId: ctx.clientRequestId,
      etag: res.headers.get("etag") ?? undefined,
      nextPage: res.headers.get("opc-next-page") ?? undefined,
      attempts: ctx.attempt,
      retryToken: ctx.retryToken,
    };
  }
}

/** An empty body, or only JSON whitespace (there is no document to parse). */
function blank(body: string | Buffer): boolean {
  if (typeof body === "string") return body.trim() === "";
  for (const b of body) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}

/**
 * The system error behind a network failure: minipass-fetch's `FetchError` carries
 * `code` itself; a wrapped error (`fetch failed`, undici) hides it in `cause`.
 */
function networkCause(err: unknown): { code: string | undefined; message: string } {
  const inner = err instanceof Error && err.cause !== undefined ? err.cause : err;
  const code = typeof inner === "object" && inner !== null && "code" in inner && typeof inner.code === "string" ? inner.code : undefined;
  const msg = inner instanceof Error ? inner.message : describeError(inner);
  return { code, message: code ? `network error ${code}: ${msg}` : `network error: ${msg}` };
}
