/**
 * Last stage of the decode pipeline: counts and hashes the final bytes while
 * they stream through (so the caller never needs a second pass), keeps the
 * first bytes for the signature check, enforces the size limit on the final
 * (transcoded) size, and calls `onEnd` with the totals.
 *
 * `mapError` turns whatever destroyed the pipeline (a raw zlib error…) into
 * the typed error the consumer of this stream should see.
 */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { checkSize, type DecodeLimits } from "./limits.js";
import { MAGIC_HEAD_BYTES } from "./magic-bytes.js";

export interface InspectionTotals {
  bytes: number;
  sha256: string;
  head: Buffer;
}

export class PartInspector extends Transform {
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;
  private headParts: Buffer[] = [];
  private headBytes = 0;

  constructor(
    private readonly limits: DecodeLimits,
    private readonly onEnd: (totals: InspectionTotals) => void,
    private readonly mapError: (err: Error) => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.bytes += chunk.length;
      checkSize(this.bytes, this.limits);
      this.hash.update(chunk);
      if (this.headBytes < MAGIC_HEAD_BYTES) {
        const take = chunk.subarray(0, MAGIC_HEAD_BYTES - this.headBytes);
        this.headParts.push(Buffer.from(take));
        this.headBytes += take.length;
      }
      cb(null, chunk);
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.onEnd({ bytes: this.bytes, sha256: this.hash.digest("hex"), head: Buffer.concat(this.headParts) });
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    cb(err ? this.mapError(err) : err);
  }
}
