/**
 * The port through which the core reads and writes Object Storage. The OCI
 * adapter (`oci-object-store.ts`) implements it over `oci-objectstorage`; the
 * in-memory adapter (`test/support/memory-object-store.ts`) gives unit tests the same
 * semantics (ETags, conditional writes) without a server.
 *
 * Conditional writes are the concurrency primitive of aidp-watch:
 * - `ifNoneMatch: "*"` creates only if absent (write-once records, claims);
 * - `ifMatch: etag` replaces only the version that was read (read-modify-write).
 * Both fail with `PreconditionFailedError` and leave the object unchanged.
 */
import type { Readable } from "node:stream";
import { AidpWatchError } from "../errors/aidp-watch-error.js";
import type { Deadline } from "../time/deadline.js";

export interface StoredObject {
  readonly name: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ObjectHead {
  readonly name: string;
  readonly etag: string;
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutOptions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: "*";
  readonly contentType?: string;
  /** User metadata, sent as `opc-meta-<key>`. Keys lower-case ASCII. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly deadline: Deadline;
}

export interface PutStreamOptions extends PutOptions {
  /** Size when known; multipart is used when absent or large. */
  readonly size?: number;
}

export interface ObjectStore {
  readonly bucket: string;
  get(name: string, options: { deadline: Deadline }): Promise<StoredObject | undefined>;
  head(name: string, options: { deadline: Deadline }): Promise<ObjectHead | undefined>;
  put(name: string, body: Buffer | string, options: PutOptions): Promise<{ etag: string }>;
  /** Streams a body (multipart for large ones). Conditional options apply to the final commit. */
  putStream(name: string, body: Readable, options: PutStreamOptions): Promise<{ etag: string }>;
  /** Returns false when the object did not exist. */
  delete(name: string, options: { ifMatch?: string; deadline: Deadline }): Promise<boolean>;
  /** Every object name under `prefix`, in lexicographic order, across pages. */
  list(prefix: string, options: { deadline: Deadline; startAfter?: string }): AsyncIterable<string>;
  /**
   * A read-only link to one object that needs no credentials until `expiresAt`
   * (an Object Storage pre-authenticated request, `ObjectRead`). Absent on
   * stores that can't make one.
   */
  createReadLink?(name: string, options: { expiresAt: Date; deadline: Deadline }): Promise<string>;
}

export class ObjectStoreError extends AidpWatchError {}

/** `if-match` / `if-none-match` failed (HTTP 412): someone else wrote first. */
export class PreconditionFailedError extends ObjectStoreError {}
