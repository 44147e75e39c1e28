/**
 * Archives one `RunOutputData` part (as fetched: a long value is `AsciiText`) under its final name, with Content-Type
 * and `opc-meta-task-run`, `opc-meta-part-index`, `opc-meta-sha256`.
 *
 * The sha256 must be in the object's metadata, and metadata is sent before
 * the body, so the hash is computed first:
 * - pass 1 decodes the part to count and hash it, keeping the bytes only
 *   while they fit in `bufferPartBytes` (8 MiB by default);
 * - a small part is then written from that buffer (one decode, one PUT);
 * - a large part is decoded a second time, streaming straight into
 *   `putStream` (multipart). The second pass is hashed again and must match.
 * So memory stays bounded (buffer + upload buffers) whatever the part's size,
 * at the price of decoding large parts twice (CPU, not memory or network).
 * Retries are the object store's alone (each PUT and each multipart part is
 * retried from its buffered bytes by the one retry loop): nothing here
 * retries around it, so a part is never uploaded more than `maxAttempts`
 * times, nor decoded a third time.
 * Pass 1 also finds undecodable parts before anything of theirs is written.
 *
 * A part that can't be decoded (`DecodeError`: corrupt data, limit exceeded,
 * unknown compression…) doesn't fail the export: its raw `value` is archived
 * as `<index>-<type>.undecoded` and the manifest records the error.
 */
import { createHash } from "node:crypto";
import { decodePartToStream } from "../decode/decode-part.js";
import type { DecodedPartInfo } from "../decode/decode-part.js";
import { DecodeError } from "../decode/errors.js";
import type { DecodeLimits } from "../decode/limits.js";
import type { FetchedRunOutputData } from "../aidp/fetched-output-schema.js";
import { utf8Bytes } from "../decode/ascii-text.js";
import type { Logger } from "../log/logger.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import type { ArchiveLayout } from "./archive-layout.js";
import { ExportConflictError } from "./export-errors.js";
import type { ManifestPart } from "./manifest.js";
import { SHA256_META, writeUnlessIdentical } from "./verified-write.js";

export interface PartContext {
  readonly store: ObjectStore;
  readonly layout: ArchiveLayout;
  readonly taskRunKey: string;
  readonly limits: Partial<DecodeLimits>;
  readonly bufferPartBytes: number;
  readonly deadline: Deadline;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface PartOutcome {
  readonly part: ManifestPart;
  /** Objects this call wrote (0 when identical ones were already there). */
  readonly writes: number;
}

/** Header-safe metadata value: printable ASCII as is, anything else percent-encoded. */
export function metadataValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

function encodingFields(part: FetchedRunOutputData, index: number) {
  return {
    index,
    type: part.type,
    declaredLength: part.length ?? null,
    compression: part.compression ?? null,
    charset: part.charset ?? null,
    isBase64: part.isBase64 ?? null,
  };
}

async function hashPass(
  part: FetchedRunOutputData,
  index: number,
  ctx: PartContext,
): Promise<{ info: DecodedPartInfo; data: Buffer | undefined }> {
  const { stream, result } = decodePartToStream(part, { partIndex: index, limits: ctx.limits, logger: ctx.logger });
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (chunks === undefined) continue;
    size += chunk.length;
    if (size > ctx.bufferPartBytes) chunks = undefined;
    else chunks.push(chunk);
  }
  const info = await result;
  return { info, data: chunks === undefined ? undefined : Buffer.concat(chunks) };
}

export async function archivePart(part: FetchedRunOutputData, index: number, ctx: PartContext): Promise<PartOutcome> {
  let pass1: { info: DecodedPartInfo; data: Buffer | undefined };
  try {
    pass1 = await hashPass(part, index, ctx);
  } catch (err) {
    if (err instanceof DecodeError) return archiveUndecodable(part, index, err, ctx);
    throw err;
  }
  const { info, data } = pass1;
  const name = ctx.layout.part(index, part.type);
  const metadata = { "task-run": metadataValue(ctx.taskRunKey), "part-index": String(index), [SHA256_META]: info.sha256 };
  const common = { contentType: info.contentType, metadata, deadline: ctx.deadline };

  const wrote = await writeUnlessIdentical({
    store: ctx.store,
    name,
    sha256: info.sha256,
    bytes: info.bytes,
    deadline: ctx.deadline,
    write: async (condition) => {
      if (data !== undefined) return ctx.store.put(name, data, { ...common, ...condition });
      const second = decodePartToStream(part, { partIndex: index, limits: ctx.limits, logger: ctx.logger });
      try {
        const [{ etag }, again] = await Promise.all([
          ctx.store.putStream(name, second.stream, { ...common, ...condition, size: info.bytes }),
          second.result,
        ]);
        if (again.sha256 !== info.sha256 || again.bytes !== info.bytes) {
          await ctx.store.delete(name, { ifMatch: etag, deadline: ctx.deadline });
          throw new ExportConflictError(`part ${index} decoded to different bytes on its second pass`, {
            context: { object: name, partIndex: index, firstSha256: info.sha256, secondSha256: again.sha256 },
          });
        }
        return { etag };
      } finally {
        if (!second.stream.destroyed) second.stream.destroy();
      }
    },
  });

  return {
    writes: wrote ? 1 : 0,
    part: {
      ...encodingFields(part, index),
      status: "archived",
      object: name,
      contentType: info.contentType,
      bytes: info.bytes,
      sha256: info.sha256,
      warnings: info.warnings.map((w) => ({ code: w.code, message: w.message })),
    },
  };
}

async function archiveUndecodable(part: FetchedRunOutputData, index: number, error: DecodeError, ctx: PartContext): Promise<PartOutcome> {
  ctx.logger.warn("task-run output part could not be decoded; archiving its raw value", { error, partIndex: index });
  let undecoded: { object: string; bytes: number; sha256: string } | null = null;
  let writes = 0;
  const value = part.value ?? "";
  if (value.length > 0) {
    // A value kept as ASCII bytes (fetched-output-schema.ts) is archived from those bytes, not copied into a string.
    const body = utf8Bytes(value);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const name = ctx.layout.undecoded(index, part.type);
    const metadata = {
      "task-run": metadataValue(ctx.taskRunKey),
      "part-index": String(index),
      [SHA256_META]: sha256,
      "part-status": "undecoded",
    };
    const wrote = await writeUnlessIdentical({
      store: ctx.store,
      name,
      sha256,
      bytes: body.length,
      deadline: ctx.deadline,
      write: (condition) =>
        ctx.store.put(name, body, { contentType: "text/plain; charset=utf-8", metadata, deadline: ctx.deadline, ...condition }),
    });
    writes = wrote ? 1 : 0;
    undecoded = { object: name, bytes: body.length, sha256 };
  }
  return {
    writes,
    part: {
      ...encodingFields(part, index),
      status: "failed",
      error: { name: error.name, code: error.code, message: error.message },
      undecoded,
      warnings: [],
    },
  };
}
