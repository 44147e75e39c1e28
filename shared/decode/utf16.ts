/**
 * UTF-16 → UTF-8, streaming.
 *
 * Byte order: a BOM (FE FF = big-endian, FF FE = little-endian) decides and is
 * removed exactly once (a second U+FEFF is content and kept). Without a BOM we
 * decode big-endian, as RFC 2781 §4.3 prescribes for "UTF-16" without a BOM,
 * and say so in a warning, because a little-endian producer that forgot its
 * BOM would come out as mojibake.
 *
 * Damage is reported, not hidden: an odd trailing byte and every unpaired
 * surrogate become U+FFFD, with one warning each (count and first offset).
 */
import { Transform, type TransformCallback } from "node:stream";
import type { WarningSink } from "./warnings.js";

const REPLACEMENT = Buffer.from("\uFFFD", "utf8");
const LONE_SURROGATE = /\p{Cs}/gu; // with the u flag, only *unpaired* surrogates match

export class Utf16ToUtf8 extends Transform {
  private order: "LE" | "BE" | undefined;
  private pending: Buffer = Buffer.alloc(0); // < 2 bytes before the BOM decision, else ≤ 1 odd byte
  private highCarry = ""; // a high surrogate waiting for its pair in the next chunk
  private unitsSeen = 0; // code units decoded so far (for offsets)
  private bomBytes = 0;
  private loneCount = 0;
  private firstLoneOffset = -1;

  constructor(private readonly warn: WarningSink) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    if (this.order === undefined) {
      if (buf.length < 2) {
        this.pending = Buffer.from(buf);
        cb();
        return;
      }
      buf = this.decideOrder(buf);
    }
    const even = buf.length & ~1;
    if (even < buf.length) this.pending = Buffer.from(buf.subarray(even));
    cb(null, this.convert(buf.subarray(0, even), false));
  }

  override _flush(cb: TransformCallback): void {
    const parts: Buffer[] = [];
    if (this.order === undefined && this.pending.length === 0) {
      cb();
      return;
    }
    if (this.order === undefined) this.order = "BE"; // a single byte: no BOM possible
    parts.push(this.convert(Buffer.alloc(0), true));
    if (this.pending.length > 0) {
      const offset = this.bomBytes + this.unitsSeen * 2;
      this.warn({
        code: "UTF16_ODD_LENGTH",
        message: `UTF-16 payload has an odd number of bytes; the trailing byte at offset ${offset} was replaced by U+FFFD`,
      });
      parts.push(REPLACEMENT);
    }
    if (this.loneCount > 0) {
      this.warn({
        code: "UTF16_UNPAIRED_SURROGATE",
        message: `${this.loneCount} unpaired UTF-16 surrogate(s) replaced by U+FFFD (first at byte offset ${this.firstLoneOffset})`,
      });
    }
    cb(null, Buffer.concat(parts));
  }

  private decideOrder(buf: Buffer): Buffer {
    if (buf[0] === 0xfe && buf[1] === 0xff) {
      this.order = "BE";
    } else if (buf[0] === 0xff && buf[1] === 0xfe) {
      this.order = "LE";
    } else {
      this.order = "BE";
      this.warn({ code: "UTF16_NO_BOM", message: "UTF-16 payload has no byte order mark; decoded as big-endian (RFC 2781)" });
      return buf;
    }
    this.bomBytes = 2;
    return buf.subarray(2);
  }

  private convert(bytes: Buffer, final: boolean): Buffer {
    let units = bytes;
    if (this.order === "BE" && bytes.length > 0) {
      units = Buffer.from(bytes); // copy: swap16 works in place and the chunk may be shared
      units.swap16();
    }
    const startUnit = this.unitsSeen - this.highCarry.length;
    let text = this.highCarry + units.toString("utf16le");
    this.unitsSeen += bytes.length / 2;
    this.highCarry = "";
    if (!final && text.length > 0) {
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.highCarry = text.slice(-1);
        text = text.slice(0, -1);
      }
    }
    text = text.replace(LONE_SURROGATE, (_m, index: number) => {
      if (this.loneCount++ === 0) this.firstLoneOffset = this.bomBytes + (startUnit + index) * 2;
      return "\uFFFD";
    });
    return Buffer.from(text, "utf8");
  }
}
