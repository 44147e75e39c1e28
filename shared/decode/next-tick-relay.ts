/**
 * A pass-through stage placed right after a zlib stream. zlib inflates on the
 * libuv thread pool and, on the main thread, pushes each output chunk and then
 * queues the next piece of work. Without this stage, that push runs the whole
 * rest of the pipeline (limit guard, UTF-8 check, SHA-256) synchronously
 * before the next piece is queued, so inflating and hashing take turns. This
 * stage hands each chunk on in the next tick instead: the pool inflates the
 * next piece while the main thread processes the previous one.
 *
 * Backpressure is unchanged (the write completes only when the chunk was
 * passed on); `highWaterMark` bounds what may wait here.
 */
import { Transform, type TransformCallback } from "node:stream";

export class NextTickRelay extends Transform {
  constructor(highWaterMark = 512 * 1024) {
    super({ highWaterMark });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    process.nextTick(cb, null, chunk);
  }
}
