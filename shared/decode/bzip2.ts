/**
 * bzip2 via seek-bzip (MIT, pure JS; see docs/toolchain-facts.md), driven block by
 * block instead of through its one-shot `decode`:
 *
 * - Streaming output with backpressure: one block (≤ 900 kB of BWT data) is
 *   decoded per `_read`, so memory holds the compressed input plus one block,
 *   not the whole decoded payload. (unbzip2-stream streams too, but is 2× slower
 *   and crashes with a TypeError on truncated input.)
 * - A block's bytes leave only after its CRC verified.
 * - Multi-stream files (`cat a.bz2 b.bz2`, pbzip2) continue at the next `BZh`
 *   header; non-bzip2 bytes after a complete stream are ignored with a warning,
 *   as `bzip2 -d` does ("trailing garbage after EOF ignored").
 * - Truncation: seek-bzip's own byte source returns `undefined` past the end,
 *   which its bit reader reads as zero bits; ours throws `TruncatedInputError`.
 *
 * seek-bzip is synchronous and bit-level, it cannot pause mid-block for more
 * input, so it reads from the whole input, not from a stream: the base64
 * string (which the caller holds anyway), decoded one slice at a time.
 *
 * Relies on seek-bzip's block-level methods (`_init_block`, `_read_bunzip`,
 * `_start_bunzip`); the dependency is pinned to 2.0.0 exactly for this.
 */
import { Readable } from "node:stream";
import Bunzip, { type InputStream, type OutputStream } from "seek-bzip";
import type { ByteSlices } from "./base64-stream.js";
import { CorruptCompressedDataError, DecodeError, TruncatedInputError } from "./errors.js";
import type { LimitGuard } from "./limits.js";
import type { WarningSink } from "./warnings.js";

const OUTPUT_SLICE = 64 * 1024;

/**
 * seek-bzip's byte source over the compressed input, read slice by slice: for
 * base64 input only the current slice is decoded (the string itself is
 * resident anyway), so the whole compressed payload never sits in memory as
 * bytes next to it.
 */
class SliceInput implements InputStream {
  pos = 0; // absolute byte position
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0; // absolute position of buf[0]
  constructor(private readonly slices: ByteSlices) {}
  get size(): number {
    return this.slices.size;
  }
  readByte(): number {
    let i = this.pos - this.bufStart;
    if (i < 0 || i >= this.buf.length) {
      this.load();
      i = this.pos - this.bufStart;
      if (i >= this.buf.length) {
        throw new TruncatedInputError("bzip2 stream is truncated (input ended inside a block or before the end-of-stream marker)", {
          context: { codec: "BZIP2", compressedBytes: this.slices.size },
        });
      }
    }
    this.pos++;
    return this.buf[i]!;
  }
  read(target: Uint8Array, offset: number, length: number): number {
    let n = 0;
    while (n < length && !this.eof()) target[offset + n++] = this.readByte();
    return n === 0 ? -1 : n;
  }
  seek(pos: number): void {
    this.pos = pos;
  }
  eof(): boolean {
    return this.pos >= this.slices.size;
  }
  private load(): void {
    const k = Math.floor(this.pos / this.slices.sliceBytes);
    this.buf = this.slices.get(k) ?? Buffer.alloc(0);
    this.bufStart = k * this.slices.sliceBytes;
  }
}

/** A Buffer as a single slice. */
export function bufferSlices(bytes: Buffer): ByteSlices {
  return { size: bytes.length, sliceBytes: Math.max(1, bytes.length), get: (k) => (k === 0 ? bytes : undefined) };
}

/** Collects output in fixed slices; each full slice is counted against the limits immediately. */
class SliceOutput implements OutputStream {
  private buf = Buffer.allocUnsafe(OUTPUT_SLICE);
  private pos = 0;
  readonly slices: Buffer[] = [];
  constructor(private readonly guard: LimitGuard) {}
  writeByte(byte: number): void {
    this.buf[this.pos++] = byte;
    if (this.pos === OUTPUT_SLICE) this.flush();
  }
  flush(): void {
    if (this.pos === 0) return;
    this.guard.add(this.pos);
    this.slices.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(OUTPUT_SLICE);
    this.pos = 0;
  }
  take(): Buffer[] {
    this.flush();
    return this.slices.splice(0);
  }
}

interface SeekBzipError {
  errorCode?: number;
}
const NOT_BZIP_DATA = -2;

function corrupt(err: unknown): DecodeError {
  if (err instanceof DecodeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CorruptCompressedDataError(`bzip2 data is corrupt: ${message}`, { cause: err, context: { codec: "BZIP2" } });
}

export function bzip2Stream(compressed: ByteSlices, guard: LimitGuard, warn: WarningSink): Readable {
  const input = new SliceInput(compressed);
  const output = new SliceOutput(guard);
  let bz: Bunzip | undefined;
  let streams = 0;

  return new Readable({
    read() {
      try {
        bz ??= new Bunzip(input, output);
        for (;;) {
          if (bz._init_block()) {
            bz._read_bunzip(); // throws on a bad block CRC before we push anything of the block
            for (const slice of output.take()) this.push(slice);
            return;
          }
          const streamCrc = bz.reader.read(32) >>> 0;
          if (streamCrc !== bz.streamCRC >>> 0) {
            throw new CorruptCompressedDataError("bzip2 data is corrupt: stream CRC mismatch", {
              context: { codec: "BZIP2", stream: streams },
            });
          }
          streams++;
          if (input.eof()) {
            this.push(null);
            return;
          }
          const at = input.pos;
          try {
            bz._start_bunzip(input, output);
          } catch (err) {
            if ((err as SeekBzipError).errorCode !== NOT_BZIP_DATA) throw err;
            warn({
              code: "BZIP2_TRAILING_GARBAGE",
              message: `${compressed.size - at} bytes after bzip2 stream ${streams} are not bzip2 data; ignored`,
            });
            this.push(null);
            return;
          }
        }
      } catch (err) {
        this.destroy(corrupt(err));
      }
    },
  });
}
