/**
 * UTF-8 pass-through: removes one leading BOM (EF BB BF) and checks that the
 * bytes are valid UTF-8 without changing them. Invalid input is kept as is
 * (the archive must stay faithful) and reported once as a warning.
 *
 * Validation is streaming: a multi-byte sequence cut by a chunk boundary is
 * carried over (≤ 3 bytes), so only real errors are reported. `isUtf8` is
 * native and far faster than a fatal TextDecoder.
 */
import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";
import type { WarningSink } from "./warnings.js";

const BOM = [0xef, 0xbb, 0xbf];

/** Length of the incomplete UTF-8 sequence at the end of `b` (0..3). */
function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const c = b[n - k]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

export class StripBomCheckUtf8 extends Transform {
  private head: Buffer | undefined = Buffer.alloc(0); // until the BOM question is settled
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0; // bytes validated so far
  private invalidAt = -1;

  constructor(private readonly warn: WarningSink) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.head !== undefined) {
      const buf = Buffer.concat([this.head, chunk]);
      if (buf.length < 3 && BOM.slice(0, buf.length).every((b, i) => buf[i] === b)) {
        this.head = buf; // could still become a BOM
        cb();
        return;
      }
      this.head = undefined;
      chunk = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
    }
    this.validate(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const rest = this.head ?? Buffer.alloc(0); // a 1–2 byte prefix of a BOM: content
    if (rest.length > 0) this.validate(rest);
    if (this.invalidAt < 0 && this.carry.length > 0) this.invalidAt = this.offset;
    if (this.invalidAt >= 0) {
      this.warn({
        code: "INVALID_UTF8",
        message: `payload is not valid UTF-8 (first problem near byte ${this.invalidAt}); bytes kept unchanged`,
      });
    }
    cb(null, rest.length > 0 ? rest : undefined);
  }

  private validate(chunk: Buffer): void {
    if (this.invalidAt >= 0 || chunk.length === 0) return;
    let body = chunk;
    if (this.carry.length > 0) {
      // Complete the carried sequence with the continuation bytes at the start of this chunk.
      let j = 0;
      while (j < 3 && j < chunk.length && (chunk[j]! & 0xc0) === 0x80) j++;
      const joined = Buffer.concat([this.carry, chunk.subarray(0, j)]);
      if (incompleteTail(joined) === joined.length && j === chunk.length) {
        this.carry = joined; // still incomplete (tiny chunk)
        return;
      }
      if (!isUtf8(joined)) {
        this.invalidAt = this.offset;
        return;
      }
      this.offset += joined.length;
      this.carry = Buffer.alloc(0);
      body = chunk.subarray(j);
    }
    const tail = incompleteTail(body);
    const complete = body.subarray(0, body.length - tail);
    if (!isUtf8(complete)) {
      this.invalidAt = this.offset;
      return;
    }
    this.offset += complete.length;
    this.carry = Buffer.from(body.subarray(body.length - tail));
  }
}
