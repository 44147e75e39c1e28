/**
 * Node stream wrapper around `LzwDecoder`. The guard is checked inside the
 * decoder's emit callback, so a bomb is stopped within about one output slice
 * (128 KiB plus at most one string) rather than after a whole input chunk has
 * expanded. The pushed chunks are views into the decoder's window buffers,
 * which it never writes to again.
 */
import { Transform, type TransformCallback } from "node:stream";
import type { LimitGuard } from "./limits.js";
import { LzwDecoder } from "./lzw-decoder.js";

export class LzwDecodeTransform extends Transform {
  private readonly decoder: LzwDecoder;

  constructor(guard: LimitGuard) {
    super();
    this.decoder = new LzwDecoder((chunk) => {
      guard.add(chunk.length);
      this.push(chunk);
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.decoder.finish();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}
