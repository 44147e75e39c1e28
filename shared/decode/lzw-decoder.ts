import { CorruptCompressedDataError, TruncatedInputError } from "./errors.js";

/**
 * Incremental decoder for Unix `compress` (.Z) files: LZW with 9..16-bit codes.
 * No npm package decodes this format (toolchain facts §6), so this is ours,
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
 * Truncation: .Z has no trailer or checksum, so a cut at a code boundary is
 * indistinguishable from the real end; a cut inside a code (≥ 8 buffered bits
 * at the end) is reported as `TruncatedInputError`. The caller's `length`
 * check covers the rest.
 *
 * Output goes to `emit` in slices of at most OUTPUT_SLICE bytes; `emit` may
 * throw (the limit guard does) to abort decoding immediately.
 */
export const LZW_MAGIC = [0x1f, 0x9d] as const;
const OUTPUT_SLICE = 128 * 1024; // > the longest possible string (65,281 bytes)

export class LzwDecoder {
  // Table: prefix code, suffix byte and string length of every entry.
  private readonly prefix = new Uint16Array(65536);
  private readonly suffix = new Uint8Array(65536);
  private readonly length = new Uint32Array(65536);

  private header: number[] = [];
  private maxBits = 16;
  private block = false;

  private bits = 9;
  private mask = 0x1ff;
  private top = 255; // highest code in the table
  private prev = -1; // previous code; -1 before the first code
  private final = 0; // first byte of the previous string
  private bitBuf = 0;
  private bitCnt = 0;
  private groupBytes = 0; // bytes consumed since the current width started
  private skip = 0; // bytes still to skip to reach the end of a group
  private widthChecked = false;

  private out = Buffer.allocUnsafe(OUTPUT_SLICE);
  private outPos = 0;
  private inputBytes = 0;

  constructor(private readonly emit: (chunk: Buffer) => void) {
    for (let i = 0; i < 256; i++) {
      this.suffix[i] = i;
      this.length[i] = 1;
    }
  }

  push(input: Uint8Array): void {
    let i = 0;
    const n = input.length;
    this.inputBytes += n;
    while (this.header.length < 3 && i < n) this.header.push(input[i++]!);
    if (this.header.length < 3) return;
    if (this.header.length === 3) {
      this.readHeader();
      this.header.push(-1); // mark as parsed
    }

    // Hot loop state in locals (written back at the end).
    const { prefix, suffix, length } = this;
    let { bits, mask, top: end, prev, final, bitBuf, bitCnt, groupBytes, skip, widthChecked, out, outPos } = this;
    const block = this.block;
    const maxBits = this.maxBits;

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
        const take = Math.min(skip, n - i);
        i += take;
        skip -= take;
        if (skip > 0) break;
      }
      while (bitCnt < bits && i < n) {
        bitBuf |= input[i++]! << bitCnt;
        bitCnt += 8;
        groupBytes++;
      }
      if (bitCnt < bits) break; // need more input
      let code = bitBuf & mask;
      bitBuf >>>= bits;
      bitCnt -= bits;
      widthChecked = false;

      if (prev < 0) {
        // First code: a literal, no table entry.
        if (code > 255) this.fail(`invalid first code ${code}`);
        if (outPos === OUTPUT_SLICE) {
          this.flushOut(outPos);
          out = this.out;
          outPos = 0;
        }
        out[outPos++] = code;
        prev = final = code;
        continue;
      }
      if (code === 256 && block) {
        // CLEAR: empty the table, back to 9 bits, skip the rest of the group.
        skip = groupBytes === 0 ? 0 : (bits - (groupBytes % bits)) % bits;
        bitBuf = 0;
        bitCnt = 0;
        groupBytes = 0;
        bits = 9;
        mask = 0x1ff;
        end = 255;
        continue;
      }

      const temp = code;
      let len: number;
      let kwkwk = false;
      if (code > end) {
        if (code !== end + 1 || prev > end) this.fail(`invalid code ${code} (table has ${end + 1} entries)`);
        kwkwk = true;
        code = prev;
        len = length[prev]! + 1;
      } else {
        len = length[code]!;
      }
      if (outPos + len > OUTPUT_SLICE) {
        this.flushOut(outPos);
        out = this.out;
        outPos = 0;
      }
      // Write the string backwards straight into the output (no stack).
      let p = outPos + len - 1;
      if (kwkwk) out[p--] = final;
      while (code >= 256) {
        out[p--] = suffix[code]!;
        code = prefix[code]!;
      }
      out[p] = code;
      final = code;
      outPos += len;

      if (end < mask) {
        end++;
        prefix[end] = prev;
        suffix[end] = final;
        length[end] = length[prev]! + 1;
      }
      prev = temp;
    }

    Object.assign(this, { bits, mask, top: end, prev, final, bitBuf, bitCnt, groupBytes, skip, widthChecked, outPos });
  }

  /** Call once the input is complete; flushes the remaining output. */
  finish(): void {
    if (this.inputBytes > 0 && this.header.length < 3) {
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
    this.flushOut(this.outPos);
    this.outPos = 0;
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

  private flushOut(n: number): void {
    if (n === 0) return;
    const chunk = this.out.subarray(0, n);
    this.out = Buffer.allocUnsafe(OUTPUT_SLICE);
    this.outPos = 0;
    this.emit(chunk);
  }

  private fail(reason: string): never {
    throw new CorruptCompressedDataError(`.Z data is corrupt: ${reason}`, { context: { codec: "COMPRESS" } });
  }
}
