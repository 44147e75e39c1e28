/**
 * "DEFLATE" is ambiguous in the wild (the HTTP Content-Encoding mess): servers
 * send either zlib-wrapped (RFC 1950) or raw (RFC 1951) streams, and each zlib
 * entry point rejects the other. We detect instead of guessing:
 *
 * - RFC 1950 header: CM = 8, CINFO ≤ 7, (CMF·256 + FLG) % 31 = 0. A raw stream
 *   can only look like that if its first block is a *stored* block whose
 *   padding bits are non-zero, which no encoder writes; still, if the zlib
 *   attempt fails before producing a single byte we retry as raw.
 * - gzip magic (1f 8b) cannot start a valid raw stream (BTYPE=11 is reserved),
 *   so a mislabelled gzip payload is decoded as gzip, with a warning.
 */
import { Transform, type TransformCallback } from "node:stream";
import { createGunzip, createInflate, createInflateRaw } from "node:zlib";
import { ZLIB_CHUNK_SIZE, isGzipHeader } from "./gzip.js";
import type { WarningSink } from "./warnings.js";

export function isZlibHeader(b: Uint8Array): boolean {
  if (b.length < 2) return false;
  const cmf = b[0]!;
  const flg = b[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

type Mode = "zlib" | "raw" | "gzip";

export class DeflateAutoDecoder extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private inner: Transform | undefined;
  private mode: Mode | undefined;
  private producedAny = false;
  private pendingWrite: TransformCallback | undefined; // input side waiting for the inner stream to drain
  private pendingFlush: TransformCallback | undefined;
  private failed = false;

  constructor(private readonly warn: WarningSink) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < 2) {
        cb();
        return;
      }
      const first = Buffer.concat(this.head);
      this.head = [first];
      this.start(isGzipHeader(first) ? "gzip" : isZlibHeader(first) ? "zlib" : "raw");
      // Keep the head only while a zlib→raw retry is still possible.
      if (this.mode !== "zlib") this.head = [];
      this.feed(first, cb);
      return;
    }
    if (this.mode === "zlib" && !this.producedAny) this.head.push(chunk);
    this.feed(chunk, cb);
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      // Fewer than 2 bytes: not a valid stream in any wrapping; let raw inflate report it.
      this.start("raw");
      this.inner!.write(Buffer.concat(this.head));
    }
    this.pendingFlush = cb;
    this.inner!.end();
  }

  override _read(size: number): void {
    this.inner?.resume();
    super._read(size);
  }

  /** Write to the inner inflater; the input side continues once it accepted the chunk. */
  private feed(chunk: Buffer, cb: TransformCallback): void {
    const inner = this.inner!;
    if (inner.write(chunk)) {
      cb();
      return;
    }
    this.pendingWrite = cb;
    inner.once("drain", () => {
      if (inner === this.inner) this.releaseWrite();
    });
  }

  private releaseWrite(): void {
    const cb = this.pendingWrite;
    this.pendingWrite = undefined;
    cb?.();
  }

  private start(mode: Mode): void {
    this.mode = mode;
    if (mode === "gzip") {
      this.warn({ code: "DEFLATE_GZIP_WRAPPED", message: "DEFLATE payload is gzip-wrapped (1f 8b); decoded as GZIP" });
    }
    const opts = { chunkSize: ZLIB_CHUNK_SIZE };
    const inner = mode === "gzip" ? createGunzip(opts) : mode === "zlib" ? createInflate(opts) : createInflateRaw(opts);
    this.inner = inner;
    inner.on("data", (d: Buffer) => {
      if (inner !== this.inner) return;
      if (!this.producedAny) {
        this.producedAny = true;
        this.head = [];
      }
      // Backpressure: stop inflating while our consumer is behind (resumed in _read).
      if (!this.push(d)) inner.pause();
    });
    inner.on("end", () => {
      if (inner === this.inner) this.pendingFlush?.();
    });
    inner.on("error", (err) => {
      if (inner !== this.inner || this.failed) return;
      if (this.mode === "zlib" && !this.producedAny && this.head.length > 0) {
        // Looked like zlib but is not: replay what we have as raw deflate.
        const replay = Buffer.concat(this.head);
        this.head = [];
        this.start("raw");
        this.inner!.write(replay);
        this.releaseWrite();
        if (this.pendingFlush) this.inner!.end();
        return;
      }
      this.failed = true;
      this.destroy(err);
    });
  }
}
