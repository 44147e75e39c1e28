import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Deadline } from "../../shared/time/deadline.js";
import {
  type ObjectHead,
  type ObjectStore,
  ObjectStoreError,
  type PutOptions,
  type PutStreamOptions,
  PreconditionFailedError,
  type StoredObject,
} from "../../shared/storage/object-store.js";

/**
 * `ObjectStore` in memory, with Object Storage's semantics: a new UUID ETag
 * per write, `if-match` / `if-none-match: *` checked atomically (412 →
 * `PreconditionFailedError`, object unchanged), conditional delete, and
 * lexicographic listing. For unit tests of code that uses the port.
 */
export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  /** Calls per method, for tests that count them. */
  readonly calls: Record<"get" | "head" | "put" | "putStream" | "delete" | "list", number> = {
    get: 0,
    head: 0,
    put: 0,
    putStream: 0,
    delete: 0,
    list: 0,
  };

  constructor(readonly bucket = "memory") {}

  async get(name: string, _options: { deadline: Deadline }): Promise<StoredObject | undefined> {
    this.calls.get++;
    const o = this.objects.get(name);
    return o ? { ...o, body: Buffer.from(o.body) } : undefined;
  }

  async head(name: string, _options: { deadline: Deadline }): Promise<ObjectHead | undefined> {
    this.calls.head++;
    const o = this.objects.get(name);
    return o ? { name, etag: o.etag, size: o.body.length, metadata: o.metadata } : undefined;
  }

  async put(name: string, body: Buffer | string, options: PutOptions): Promise<{ etag: string }> {
    this.calls.put++;
    return this.write(name, Buffer.from(body), options);
  }

  async putStream(name: string, body: Readable, options: PutStreamOptions): Promise<{ etag: string }> {
    this.calls.putStream++;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string));
    const data = Buffer.concat(chunks);
    if (options.size !== undefined && options.size !== data.length) {
      throw new ObjectStoreError(`stream had ${data.length} bytes, expected ${options.size}`, { context: { object: name } });
    }
    return this.write(name, data, options);
  }

  async delete(name: string, options: { ifMatch?: string; deadline: Deadline }): Promise<boolean> {
    this.calls.delete++;
    const o = this.objects.get(name);
    if (!o) {
      if (options.ifMatch !== undefined)
        throw new PreconditionFailedError("if-match failed: the object does not exist", { context: { object: name } });
      return false;
    }
    if (options.ifMatch !== undefined && options.ifMatch !== o.etag)
      throw new PreconditionFailedError("if-match failed", { context: { object: name } });
    this.objects.delete(name);
    return true;
  }

  async *list(prefix: string, options: { deadline: Deadline; startAfter?: string }): AsyncIterable<string> {
    this.calls.list++;
    const names = [...this.objects.keys()]
      .filter((n) => n.startsWith(prefix) && (options.startAfter === undefined || n > options.startAfter))
      .sort();
    for (const n of names) yield n;
  }

  /** Every object name (sorted), for assertions. */
  names(): string[] {
    return [...this.objects.keys()].sort();
  }

  private write(name: string, body: Buffer, options: PutOptions): { etag: string } {
    const current = this.objects.get(name);
    if (options.ifNoneMatch === "*" && current)
      throw new PreconditionFailedError("if-none-match failed: the object exists", { context: { object: name } });
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch)
      throw new PreconditionFailedError("if-match failed", { context: { object: name } });
    const etag = randomUUID();
    this.objects.set(name, { name, body, etag, contentType: options.contentType, metadata: { ...(options.metadata ?? {}) } });
    return { etag };
  }
}
