/**
 * Decodes ONE bzip2 block that starts at a given bit offset, with seek-bzip's
 * block-level methods (pinned 2.0.0, see bzip2.ts). Runs on a worker thread
 * for the parallel decoder; pure (no I/O), so it is tested in-thread too.
 *
 * The block's own CRC is verified by seek-bzip (`_read_bunzip` throws on a
 * mismatch). The caller learns where the block ended (the next block or the
 * end-of-stream marker starts exactly there), the block's CRC (for the stream
 * CRC) and its BWT size (which must fit the stream header's level: blocks are
 * decoded speculatively before the stream they belong to is known, so with the
 * largest level, 9).
 *
 * `maxBytes` caps the output: a block that would produce more stops there and
 * reports `over-budget`, so a bomb costs no more memory here than the limit.
 */
import Bunzip, { type InputStream, type OutputStream } from "seek-bzip";

export type BlockResult =
  | { kind: "ok"; data: Uint8Array; endBit: number; crc: number; bwtBytes: number }
  | { kind: "over-budget"; produced: number };

/** Thrown by the byte source when a block runs past the end of the input. */
export class BlockInputEnded extends Error {
  constructor() {
    super("bzip2 input ended inside a block");
  }
}

class OverBudget extends Error {}

/**
 * seek-bzip's byte source over the whole input. Its constructor reads the
 * 4-byte stream header through `read`; every block is decoded as if in a
 * level-9 stream (the real level is checked by the caller against `bwtBytes`),
 * so `read` supplies "BZh9" and the bit reader is then moved to the block.
 */
class BlockInput implements InputStream {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  readByte(): number {
    if (this.pos >= this.bytes.length) throw new BlockInputEnded();
    return this.bytes[this.pos++]!;
  }
  read(target: Uint8Array, offset: number, length: number): number {
    const header = [0x42, 0x5a, 0x68, 0x39]; // "BZh9"
    for (let i = 0; i < length && i < 4; i++) target[offset + i] = header[i]!;
    return Math.min(length, 4);
  }
  seek(pos: number): void {
    this.pos = pos;
  }
  eof(): boolean {
    return this.pos >= this.bytes.length;
  }
}

class BlockOutput implements OutputStream {
  buf: Uint8Array;
  pos = 0;
  constructor(
    initial: number,
    private readonly maxBytes: number,
  ) {
    this.buf = new Uint8Array(Math.max(1024, Math.min(initial, maxBytes + 1)));
  }
  writeByte(byte: number): void {
    if (this.pos === this.buf.length) this.grow();
    this.buf[this.pos++] = byte;
  }
  private grow(): void {
    if (this.pos >= this.maxBytes) throw new OverBudget();
    const next = new Uint8Array(Math.min(this.buf.length * 2, this.maxBytes + 1));
    next.set(this.buf);
    this.buf = next;
  }
}

export function decodeBlockAt(bytes: Uint8Array, bitPos: number, maxBytes: number): BlockResult {
  const input = new BlockInput(bytes);
  const bz = new Bunzip(input, { writeByte: () => {} });
  bz.reader.seek(bitPos);
  if (!bz._init_block()) throw new Error("no bzip2 block at this position (end-of-stream marker)");
  const endBit = bz.reader.hasByte ? (input.pos - 1) * 8 + bz.reader.bitOffset : input.pos * 8;
  const bwtBytes = bz.writeCount;
  // Output is at least ~4/5 of the BWT size (run-length stage 1 only expands); start a bit above it.
  const output = new BlockOutput(bwtBytes + (bwtBytes >>> 2), maxBytes);
  bz.outputStream = output;
  try {
    bz._read_bunzip();
  } catch (err) {
    if (err instanceof OverBudget) return { kind: "over-budget", produced: output.pos };
    throw err;
  }
  if (output.pos > maxBytes) return { kind: "over-budget", produced: output.pos };
  return { kind: "ok", data: output.buf.subarray(0, output.pos), endBit, crc: bz.targetBlockCRC >>> 0, bwtBytes };
}
