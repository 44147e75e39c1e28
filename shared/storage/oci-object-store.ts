/**
 * `ObjectStore` over `oci-objectstorage`'s `ObjectStorageClient`.
 *
 * - Every request goes through the one retry loop (`sdkCall` →
 *   `callWithRetry`): our policy and classification, each attempt bounded by
 *   the call's deadline and aborted (socket closed) when that passes. The
 *   SDK's own retrier is off for every call; an answer's body is read inside
 *   its attempt, so a body that stalls is cut by the same timeout.
 * - 412 (if-match / if-none-match failed) → `PreconditionFailedError`;
 *   404 → `undefined` (get/head) or `false` (delete); anything else →
 *   `ObjectStoreError` with the typed `HttpError` as `cause` and the object
 *   name, operation and opc-request-id in its context.
 * - `getObject().value` is a Minipass stream (minipass-fetch's body, as our
 *   clients send through it; a web `ReadableStream` with the global fetch):
 *   either is read to a Buffer as an async iterable.
 * - `putStream` does not use the SDK's `UploadManager`: its multipart commit
 *   drops `if-match`/`if-none-match` (it passes only namespace, bucket, object
 *   to `commitMultipartUpload`), and its single-PUT path retries a 412 three
 *   times and then throws a plain object that hides the status. Instead: a
 *   stream that fits in one part is sent with one PutObject; a longer one
 *   with CreateMultipartUpload (conditions checked early) → UploadPart ×n
 *   (Buffer bodies with Content-MD5, so each part is retried safely) →
 *   CommitMultipartUpload (conditions applied atomically) — aborted on any
 *   failure so no upload is left behind.
 * - Bodies are sent as streams, never as Buffers: oci-common checks a request
 *   body with `Object.keys(body).length === 0`, which on a Buffer enumerates
 *   every byte (measured: ~250 ms and ~30 MB of heap per MiB; a 16 MiB part
 *   took 4 s and 500 MB, a 3 MB index 0.7 s). A stream body costs nothing
 *   there; each attempt builds a fresh stream from the buffered bytes, so
 *   every write, multipart parts included, can be retried safely.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { models, ObjectStorageClient } from "oci-objectstorage";
import { describeError } from "../errors/aidp-watch-error.js";
import type { Attempt } from "../http/call-with-retry.js";
import { type HttpError, ServiceError } from "../http/http-errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry-policy.js";
import type { RandomSource } from "../http/retry-timing.js";
import { type Logger, silentLogger } from "../log/logger.js";
import { sdkCall } from "../oci/sdk-call.js";
import { toHttpError } from "../oci/to-http-error.js";
import { type Clock, systemClock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import {
  type ObjectHead,
  type ObjectStore,
  ObjectStoreError,
  type PutOptions,
  type PutStreamOptions,
  PreconditionFailedError,
  type StoredObject,
} from "./object-store.js";
import { streamParts } from "./stream-parts.js";

export interface OciObjectStoreOptions {
  readonly client: ObjectStorageClient;
  readonly namespace: string;
  readonly bucket: string;
  readonly retryPolicy?: RetryPolicy;
  /** Multipart part size. @default 8 MiB (with 2 in flight: ~40 MB of upload buffers at most, which keeps a 128 MB function usable) */
  readonly partSize?: number;
  /** Parts uploaded in parallel. @default 2 */
  readonly partConcurrency?: number;
  readonly logger?: Logger;
  /** Sleeps between write retries. @default systemClock */
  readonly clock?: Clock;
  readonly random?: RandomSource;
}

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("base64");
}

async function readAll(value: unknown): Promise<Buffer> {
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === "string") return Buffer.from(value);
  if (value instanceof Readable || (typeof value === "object" && Symbol.asyncIterator in value)) {
    const chunks: Buffer[] = [];
    for await (const c of value as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new ObjectStoreError("GetObject returned a body of an unexpected type", { context: { type: typeof value } });
}

export class OciObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly client: ObjectStorageClient;
  readonly namespace: string;
  private readonly policy: RetryPolicy;
  private readonly partSize: number;
  private readonly partConcurrency: number;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly random: RandomSource;

  constructor(options: OciObjectStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.client = options.client;
    this.namespace = options.namespace;
    this.bucket = options.bucket;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.partConcurrency = options.partConcurrency ?? 2;
    this.logger = options.logger ?? silentLogger;
  }

  /** Looks the namespace up (GetNamespace) when it is not configured. */
  static async resolveNamespace(
    client: ObjectStorageClient,
    deadline: Deadline,
    policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    logger: Logger = silentLogger,
  ): Promise<string> {
    try {
      return await sdkCall({ operation: "os.getNamespace", deadline, policy, logger }, async () => (await client.getNamespace({})).value);
    } catch (err) {
      throw new ObjectStoreError("could not look up the Object Storage namespace", {
        cause: toHttpError(err, { operation: "os.getNamespace" }),
      });
    }
  }

  async get(name: string, options: { deadline: Deadline }): Promise<StoredObject | undefined> {
    const op = "os.getObject";
    try {
      return await this.call(op, options.deadline, async () => {
        const r = await this.client.getObject(this.target(name));
        // Read inside the attempt: a body that stalls is cut by the attempt's timeout.
        const body = await readAll(r.value);
        return { name, body, etag: r.eTag, contentType: r.contentType, metadata: stripMeta(r.opcMeta) };
      });
    } catch (err) {
      const e = toHttpError(err, { operation: op });
      if (e instanceof ServiceError && e.status === 404) return undefined;
      throw this.wrap(op, name, e);
    }
  }

  /** CreatePreauthenticatedRequest (ObjectRead, this one object): the caller needs PAR_MANAGE on the bucket. */
  async createReadLink(name: string, options: { expiresAt: Date; deadline: Deadline }): Promise<string> {
    const op = "os.createPreauthenticatedRequest";
    try {
      // A retry after a lost answer makes a second PAR: harmless (the first expires unused).
      const r = await this.call(op, options.deadline, () =>
        this.client.createPreauthenticatedRequest({
          namespaceName: this.namespace,
          bucketName: this.bucket,
          createPreauthenticatedRequestDetails: {
            name: `aidp-watch ${name}`.slice(0, 1024),
            objectName: name,
            accessType: "ObjectRead" as models.CreatePreauthenticatedRequestDetails.AccessType,
            timeExpires: options.expiresAt,
          },
        }),
      );
      const par = r.preauthenticatedRequest;
      // fullPath is the whole URL where the service sends it; otherwise the access URI is relative to the endpoint.
      return par.fullPath ?? `${this.client.endpoint.replace(/\/+$/, "")}${par.accessUri}`;
    } catch (err) {
      throw this.wrap(op, name, toHttpError(err, { operation: op }));
    }
  }

  async head(name: string, options: { deadline: Deadline }): Promise<ObjectHead | undefined> {
    const op = "os.headObject";
    try {
      const r = await this.call(op, options.deadline, () => this.client.headObject(this.target(name)));
      return { name, etag: r.eTag, size: Number(r.contentLength ?? 0), metadata: stripMeta(r.opcMeta) };
    } catch (err) {
      const e = toHttpError(err, { operation: op });
      if (e instanceof ServiceError && e.status === 404) return undefined;
      throw this.wrap(op, name, e);
    }
  }

  async put(name: string, body: Buffer | string, options: PutOptions): Promise<{ etag: string }> {
    const op = "os.putObject";
    const data = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const contentMD5 = md5(data);
    try {
      const r = await this.call(op, options.deadline, () =>
        this.client.putObject({
          ...this.target(name),
          // An empty stream makes fetch wait for a body that never comes: send no body at all.
          putObjectBody: data.length === 0 ? "" : Readable.from([data]),
          contentLength: data.length,
          contentMD5,
          contentType: options.contentType,
          ifMatch: options.ifMatch,
          ifNoneMatch: options.ifNoneMatch,
          opcMeta: options.metadata ? { ...options.metadata } : undefined,
        }),
      );
      return { etag: r.eTag };
    } catch (err) {
      throw this.wrap(op, name, toHttpError(err, { operation: op }));
    }
  }

  async putStream(name: string, body: Readable, options: PutStreamOptions): Promise<{ etag: string }> {
    const parts = streamParts(body, this.partSize);
    const first = await parts.next();
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    const second = first.done ? first : await parts.next();
    if (second.done) {
      this.checkSize(name, options.size, firstPart.length);
      return this.put(name, firstPart, options);
    }
    return this.multipart(name, firstPart, second.value, parts, options);
  }

  async delete(name: string, options: { ifMatch?: string; deadline: Deadline }): Promise<boolean> {
    const op = "os.deleteObject";
    try {
      await this.call(op, options.deadline, () => this.client.deleteObject({ ...this.target(name), ifMatch: options.ifMatch }));
      return true;
    } catch (err) {
      const e = toHttpError(err, { operation: op });
      if (e instanceof ServiceError && e.status === 404 && options.ifMatch === undefined) return false;
      throw this.wrap(op, name, e);
    }
  }

  async *list(prefix: string, options: { deadline: Deadline; startAfter?: string }): AsyncIterable<string> {
    const op = "os.listObjects";
    let start: string | undefined;
    let startAfter = options.startAfter;
    for (;;) {
      let page: { objects: Array<{ name: string }>; nextStartWith?: string };
      try {
        const r = await this.call(op, options.deadline, () =>
          this.client.listObjects({
            namespaceName: this.namespace,
            bucketName: this.bucket,
            prefix,
            start,
            startAfter: start === undefined ? startAfter : undefined,
            limit: 1000,
          }),
        );
        page = r.listObjects;
      } catch (err) {
        throw this.wrap(op, prefix, toHttpError(err, { operation: op }));
      }
      for (const o of page.objects) yield o.name;
      if (!page.nextStartWith) return;
      start = page.nextStartWith;
      startAfter = undefined;
    }
  }

  private async multipart(
    name: string,
    p1: Buffer,
    p2: Buffer,
    rest: AsyncGenerator<Buffer, void, undefined>,
    options: PutStreamOptions,
  ): Promise<{ etag: string }> {
    const target = this.target(name);
    let uploadId: string;
    try {
      const r = await this.call("os.createMultipartUpload", options.deadline, () =>
        this.client.createMultipartUpload({
          namespaceName: this.namespace,
          bucketName: this.bucket,
          createMultipartUploadDetails: {
            object: name,
            contentType: options.contentType,
            metadata: options.metadata
              ? Object.fromEntries(Object.entries(options.metadata).map(([k, v]) => [`opc-meta-${k}`, v]))
              : undefined,
          },
          ifMatch: options.ifMatch,
          ifNoneMatch: options.ifNoneMatch,
        }),
      );
      uploadId = r.multipartUpload.uploadId;
    } catch (err) {
      throw this.wrap("os.createMultipartUpload", name, toHttpError(err, { operation: "os.createMultipartUpload" }));
    }
    const committed: Array<{ partNum: number; etag: string }> = [];
    let total = 0;
    try {
      const inFlight = new Set<Promise<void>>();
      let failure: unknown;
      const upload = (partNum: number, data: Buffer) => {
        const contentMD5 = md5(data);
        const p = this.call("os.uploadPart", options.deadline, () =>
          this.client.uploadPart({
            ...target,
            uploadId,
            uploadPartNum: partNum,
            uploadPartBody: Readable.from([data]),
            contentLength: data.length,
            contentMD5,
          }),
        )
          .then((r) => {
            committed.push({ partNum, etag: r.eTag });
          })
          .catch((err: unknown) => {
            failure ??= toHttpError(err, { operation: "os.uploadPart" });
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        return p;
      };
      let partNum = 0;
      const feed = async function* () {
        yield p1;
        yield p2;
        yield* rest;
      };
      for await (const part of feed()) {
        if (failure) break;
        if (part.length === 0) continue;
        total += part.length;
        partNum++;
        if (partNum > 10_000)
          throw new ObjectStoreError("the stream needs more than 10,000 parts; raise the part size", { context: { object: name } });
        upload(partNum, part);
        while (inFlight.size >= this.partConcurrency) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      this.checkSize(name, options.size, total);
      committed.sort((a, b) => a.partNum - b.partNum);
      const r = await this.call("os.commitMultipartUpload", options.deadline, () =>
        this.client.commitMultipartUpload({
          ...target,
          uploadId,
          commitMultipartUploadDetails: { partsToCommit: committed },
          ifMatch: options.ifMatch,
          ifNoneMatch: options.ifNoneMatch,
        }),
      );
      return { etag: r.eTag };
    } catch (err) {
      await this.abort(name, uploadId, options.deadline);
      if (err instanceof ObjectStoreError) throw err;
      const e = toHttpError(err, { operation: "os.multipartUpload" });
      throw this.wrap(e.operation, name, e);
    }
  }

  private async abort(name: string, uploadId: string, deadline: Deadline): Promise<void> {
    try {
      // Within the same deadline, never past it: an upload left behind when no
      // time is left costs storage until a lifecycle rule removes it, an
      // invocation outliving its deadline is killed mid-write.
      await this.call("os.abortMultipartUpload", deadline, () => this.client.abortMultipartUpload({ ...this.target(name), uploadId }));
    } catch (err) {
      this.logger.warn("could not abort a failed multipart upload; a bucket lifecycle rule should clean it up", {
        object: name,
        error: describeError(err),
      });
    }
  }

  /**
   * One request through the one retry loop. `send` must build a fresh request
   * (a fresh stream) on every attempt.
   */
  private call<T>(operation: string, deadline: Deadline, send: (attempt: Attempt) => Promise<T>): Promise<T> {
    return sdkCall({ operation, deadline, policy: this.policy, clock: this.clock, random: this.random, logger: this.logger }, send);
  }

  private checkSize(name: string, expected: number | undefined, actual: number): void {
    if (expected !== undefined && expected !== actual) {
      throw new ObjectStoreError(`the stream had ${actual} bytes, ${expected} were announced`, {
        context: { object: name, expected, actual },
      });
    }
  }

  private target(name: string) {
    return { namespaceName: this.namespace, bucketName: this.bucket, objectName: name };
  }

  private wrap(operation: string, name: string, e: HttpError): ObjectStoreError {
    const context = { operation, object: name, bucket: this.bucket, opcRequestId: e.opcRequestId };
    if (e instanceof ServiceError && e.status === 412) {
      return new PreconditionFailedError(`${operation} precondition failed (someone else wrote ${name} first)`, { cause: e, context });
    }
    return new ObjectStoreError(`${operation} failed for ${name}: ${e.message}`, { cause: e, context });
  }
}

function stripMeta(meta: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta ?? {})) out[k.replace(/^opc-meta-/, "")] = v;
  return out;
}
