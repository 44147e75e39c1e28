/**
 * Incremental decoder for Unix `compress` (.Z) files: LZW with 9..16-bit codes.
 * No npm package decodes this format (docs/decoder-tools.md), so this is ours,
 * modelled on the structure of Mark Adler's `unlzw` (gun.c / pigz):
 *
 * - header 1f 9d, then a flags byte: low 5 bits = max code width, 0x80 = block
 *   mode (code 256 is CLEAR), 0x60 reserved (must be 0). A max of 9 behaves as 10.
 * - codes are packed LSB-first. The first code is a literal and adds no entry.
 * - `compress` writes codes in groups of 8 (= n_bits bytes) and, when the
 *   width grows or a CLEAR arrives, abandons the rest of the current group.
 *   The decoder therefore skips to the end of the current n_bits-byte group
 *   (counted from where the current width started) on both events.
 * - KwKwK: a code one past the last table entry means "previous string + its
 *   own first byte".
 * - Any other code beyond the table is an error (unlzw's strict check: it makes
 *   random input fail fast instead of producing garbage).
 *
 * Speed: every table entry's string also sits, contiguously, in the output
 * already written (entry = previous string + first byte of the current one,
 * and those were written back to back). The decoder remembers that position
 * per entry and copies the string from there instead of walking the
 * prefix/suffix chain byte by byte (a dependent load per byte). Output goes
 * into a window buffer; when it is full, a new one starts with the last
 * `windowBytes / 8` bytes copied over, so recent strings stay copyable. An
 * entry whose bytes left the window is decoded from the chain once and its
 * position moved to where it was just written.
 *
 * Truncation: .Z has no trailer or checksum, so a cut at a code boundary is
 * indistinguishable from the real end; a cut inside a code (≥ 8 buffered bits
 * at the end) is reported as `TruncatedInputError`. The caller's `length`
 * check covers the rest.
 *
 * Output goes to `emit` in slices of about `sliceBytes` bytes (views into the
 * window buffer, never written to again); `emit` may throw (the limit guard
 * does) to abort decoding immediately.
 *
 * JIT shape: the per-code loop (`run`) works on at most RUN_INPUT bytes per
 * call and returns to `push` for everything rare (emitting, a new window,
 * CLEAR), so V8 sees every path of it early and optimises the whole function
 * instead of repeatedly deoptimising an on-stack-replaced loop.
 */
import { CorruptCompressedDataError, TruncatedInputError } from "./errors.js";

export const LZW_MAGIC = [0x1f, 0x9d] as const;

const MAX_STRING = 65536; // > the longest possible string (65,281 bytes)
const RUN_INPUT = 4 * 1024; // input bytes per `run` call

/** Why `run` returned. */
const NEED_INPUT = 0;
const OUTPUT_READY = 1; // a slice is ready or the window is full
const CLEAR = 2;

export interface LzwDecoderOptions {
  /** Output window (default 1 MiB; at least 1 KiB); the buffer is this plus 64 KiB. Small values are for tests. */
  windowBytes?: number;
  /** Output is emitted once this many bytes are pending (default 128 KiB). */
  sliceBytes?: number;
}

export class LzwDecoder {
  // Table: prefix code and suffix byte of every entry, and (interleaved: one cache line per lookup)
  // where its string starts in `out` (-1: no longer in the window) and its length.
  private readonly prefix = new Uint16Array(65536);
  private readonly suffix = new Uint8Array(65536);
  private readonly info = new Int32Array(2 * 65536);

  private header: number[] = [];
  private headerDone = false;
  private maxBits = 16;
  private block = false;

  private bits = 9;
  private mask = 0x1ff;
  private top = 255; // highest code in the table
  private prev = -1; // previous code; -1 before the first code
  private prevAt = 0; // position in `out` where the previous code's string was written
  private bitBuf = 0;
  private bitCnt = 0;
  private groupBytes = 0; // bytes consumed since the current width started
  private skip = 0; // bytes still to skip to reach the end of a group
  private widthChecked = false;
  private stop = NEED_INPUT;

  private readonly windowBytes: number;
  private readonly keepBytes: number;
  private readonly sliceBytes: number;
  private out: Buffer;
  private view: DataView;
  private pos = 0; // write position in `out`
  private flushed = 0; // out[0, flushed) has been emitted (or belongs to the previous window)
  private inputBytes = 0;

  constructor(
    private readonly emit: (chunk: Buffer) => void,
    options: LzwDecoderOptions = {},
  ) {
    this.windowBytes = Math.max(1024, options.windowBytes ?? 1024 * 1024);
    this.keepBytes = this.windowBytes >>> 3;
    this.sliceBytes = Math.max(1, options.sliceBytes ?? 128 * 1024);
    // + 8: string copies round up to whole 8-byte steps.
    this.out = Buffer.allocUnsafe(this.windowBytes + MAX_STRING + 8);
    this.view = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    for (let i = 0; i < 256; i++) {
      this.suffix[i] = i;
      this.info[2 * i + 1] = 1;
    }
  }

  push(input: Uint8Array): void {
    let i = 0;
    const n = input.length;
    this.inputBytes += n;
    if (!this.headerDone) {
      while (this.header.length < 3 && i < n) this.header.push(input[i++]!);
      if (this.header.length < 3) return;
      this.readHeader();
      this.headerDone = true;
    }
    while (i < n) {
      i = this.run(input, i, Math.min(n, i + RUN_INPUT));
      if (this.stop === OUTPUT_READY) this.output();
      else if (this.stop === CLEAR) this.clear();
    }
  }

  /** Call once the input is complete; flushes the remaining output. */
  finish(): void {
    if (this.inputBytes > 0 && !this.headerDone) {
      throw new TruncatedInputError(`.Z stream is truncated: ${this.header.length}-byte header`, {
        context: { codec: "COMPRESS" },
      });
    }
    // Fewer than 8 buffered bits are the final byte's padding; 8 or more mean a code was cut.
    if (this.bitCnt >= 8) {
      throw new TruncatedInputError(".Z stream is truncated inside a code", {
        context: { codec: "COMPRESS", compressedBytes: this.inputBytes },
      });
    }
    if (this.pos > this.flushed) {
      const chunk = this.out.subarray(this.flushed, this.pos);
      this.flushed = this.pos;
      this.emit(chunk);
    }
  }

  /**
   * Decodes codes from input[i, limit) until the input runs out, output is ready or a CLEAR
   * arrives (`this.stop` says which); returns the new input position.
   */
  private run(input: Uint8Array, i: number, limit: number): number {
    const { prefix, suffix, info, block, maxBits, windowBytes, sliceBytes, out, view, flushed } = this;
    let bits = this.bits;
    let mask = this.mask;
    let end = this.top;
    let prev = this.prev;
    let prevAt = this.prevAt;
    let bitBuf = this.bitBuf;
    let bitCnt = this.bitCnt;
    let groupBytes = this.groupBytes;
    let skip = this.skip;
    let widthChecked = this.widthChecked;
    let pos = this.pos;
    let stop = NEED_INPUT;

    for (;;) {
      if (!widthChecked) {
        widthChecked = true;
        // If the table will be full after this code, the width grows first.
        if (end >= mask && bits < maxBits) {
          skip = groupBytes === 0 ? 0 : (bits - (groupBytes % bits)) % bits;
          bitBuf = 0;
          bitCnt = 0;
          groupBytes = 0;
          bits++;
          mask = (mask << 1) | 1;
        }
      }
      if (skip > 0) {
        const take = Math.min(skip, limit - i);
        i += take;
        skip -= take;
        if (skip > 0) break;
      }
      while (bitCnt < bits && i < limit) {
        bitBuf |= input[i++]! << bitCnt;
        bitCnt += 8;
        groupBytes++;
      }
      if (bitCnt < bits) break; // need more input
      let code = bitBuf & mask;
      bitBuf >>>= bits;
      bitCnt -= bits;
      widthChecked = false;

      if (code === 256 && block && prev >= 0) {
        stop = CLEAR; // handled by clear()
        break;
      }

      const at = pos;
      if (prev < 0) {
        // First code: a literal, no table entry.
        if (code > 255) this.fail(`invalid first code ${code}`);
        out[pos++] = code;
      } else {
        const temp = code;
        let kwkwk = false;
        if (code > end) {
          if (code !== end + 1 || prev > end) this.fail(`invalid code ${code} (table has ${end + 1} entries)`);
          kwkwk = true;
          code = prev;
        }
        if (code < 256) {
          out[pos++] = code;
        } else {
          const from = info[2 * code]!;
          const len = info[2 * code + 1]!;
          if (from >= 0) {
            // 8 bytes per step, rounding up: the extra bytes land past the string, where later output
            // overwrites them, and everything read for the string itself lies before `pos`.
            for (let k = 0; k < len; k += 8) {
              view.setInt32(pos + k, view.getInt32(from + k, true), true);
              view.setInt32(pos + k + 4, view.getInt32(from + k + 4, true), true);
            }
          } else {
            // The string's bytes left the window: walk the chain backwards, then remember this copy.
            let p = pos + len - 1;
            let c = code;
            while (c >= 256) {
              out[p--] = suffix[c]!;
              c = prefix[c]!;
            }
            out[p] = c;
            info[2 * code] = pos;
          }
          pos += len;
        }
        if (kwkwk) out[pos++] = out[at]!;
        if (end < mask) {
          end++;
          prefix[end] = prev;
          suffix[end] = out[at]!;
          info[2 * end] = prevAt;
          info[2 * end + 1] = info[2 * prev + 1]! + 1;
        }
        code = temp;
      }
      prev = code;
      prevAt = at;
      if (pos - flushed >= sliceBytes || pos > windowBytes) {
        stop = OUTPUT_READY; // handled by output()
        break;
      }
    }

    this.bits = bits;
    this.mask = mask;
    this.top = end;
    this.prev = prev;
    this.prevAt = prevAt;
    this.bitBuf = bitBuf;
    this.bitCnt = bitCnt;
    this.groupBytes = groupBytes;
    this.skip = skip;
    this.widthChecked = widthChecked;
    this.pos = pos;
    this.stop = stop;
    return i;
  }

  /** Emits the pending output; when the window is full, continues in a new one (emitted bytes are never overwritten). */
  private output(): void {
    const { out, pos, flushed } = this;
    if (pos > this.windowBytes) {
      // Keep the last eighth, so recent strings stay copyable; positions move down by `shift`.
      const shift = pos - this.keepBytes;
      const next = Buffer.allocUnsafe(out.length);
      out.copy(next, 0, shift, pos);
      rebase(this.info, this.top, shift);
      this.prevAt = this.prevAt - shift < 0 ? -1 : this.prevAt - shift;
      this.out = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
      this.pos = this.keepBytes;
      this.flushed = this.keepBytes;
    } else {
      this.flushed = pos;
    }
    if (pos > flushed) this.emit(out.subarray(flushed, pos));
  }

  /** CLEAR: empty the table, back to 9 bits, skip the rest of the current group. */
  private clear(): void {
    const { bits, groupBytes } = this;
    this.skip = groupBytes === 0 ? 0 : (bits - (groupBytes % bits)) % bits;
    this.bitBuf = 0;
    this.bitCnt = 0;
    this.groupBytes = 0;
    this.bits = 9;
    this.mask = 0x1ff;
    this.top = 255;
  }

  private readHeader(): void {
    const [m0, m1, flags] = this.header as [number, number, number];
    if (m0 !== LZW_MAGIC[0] || m1 !== LZW_MAGIC[1]) this.fail("not a .Z stream (bad magic)");
    if (flags & 0x60) this.fail(`unknown flags 0x${flags.toString(16)}`);
    const max = flags & 0x1f;
    if (max < 9 || max > 16) this.fail(`max code width ${max} out of range 9..16`);
    this.maxBits = max === 9 ? 10 : max; // as in compress(1): "9 doesn't really mean 9"
    this.block = (flags & 0x80) !== 0;
    this.top = this.block ? 256 : 255;
  }

  private fail(reason: string): never {
    throw new CorruptCompressedDataError(`.Z data is corrupt: ${reason}`, { context: { codec: "COMPRESS" } });
  }
}

/** Moves every entry's window position down by `shift`; positions that fall off the window become -1. */
function rebase(info: Int32Array, top: number, shift: number): void {
  for (let c = 256; c <= top; c++) {
    const at = info[2 * c]! - shift;
    info[2 * c] = at < 0 ? -1 : at;
  }
}
