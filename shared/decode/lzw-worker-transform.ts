/**
 * .Z decoding on a worker thread (`lzw-worker.ts`), as a Node Transform: the
 * calling thread keeps decoding base64, checking UTF-8, hashing and writing
 * while the worker runs the LZW loop, as the processes of
 * `base64 -d | compress -dc | …` overlap. Output arrives as whole windows
 * (transferred, not copied) and is counted by the caller's guard as usual.
 *
 * Flow control: at most MAX_INPUT_IN_FLIGHT input pieces are posted and not
 * yet decoded; the next write waits for the worker to finish one. The worker
 * stops taking input while 4 output windows wait for this stream's reader
 * (`taken` is reported when they are pushed or, if the readable side was full,
 * when it is next read), and it stops for good once its output passes the
 * guard's remaining allowance (a bomb never runs on behind this thread's back).
 */
import { Transform, type TransformCallback } from "node:stream";
import { Worker } from "node:worker_threads";
import { CorruptCompressedDataError, TruncatedInputError } from "./errors.js";
import type { LimitGuard } from "./limits.js";
import type { LzwWorkerData, LzwWorkerReply, LzwWorkerRequest } from "./lzw-worker-protocol.js";
import type { WorkerScript } from "./worker-script.js";

const MAX_INPUT_IN_FLIGHT = 16;
/** Input buffers are at least this big (base64 slices decode to 192 KiB), so they can be reused for every piece. */
const MIN_INPUT_BUFFER = 256 * 1024;

export class LzwWorkerTransform extends Transform {
  private readonly worker: Worker;
  private inFlight = 0;
  private writeWaiting: TransformCallback | undefined;
  private flushWaiting: TransformCallback | undefined;
  private settled = false;
  private readonly inputBuffers: ArrayBuffer[] = [];
  /** Windows pushed while the readable side was full: reported as taken once it is read from. */
  private untaken = 0;

  constructor(
    script: WorkerScript,
    private readonly guard: LimitGuard,
  ) {
    super();
    const workerData: LzwWorkerData = { maxBytes: guard.remaining() };
    this.worker = new Worker(script.filename, { ...script.options, workerData });
    this.worker.on("message", (reply: LzwWorkerReply) => this.onReply(reply));
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => {
      if (!this.settled) this.fail(new Error(`.Z worker exited (code ${code}) before the end of the stream`));
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    // Copied into a buffer of our own, so it can be transferred (the chunk may be a view into a larger or pooled
    // buffer). The worker sends each buffer back once decoded: at most MAX_INPUT_IN_FLIGHT of them ever exist, instead
    // of one per piece waiting for the worker's garbage collector (it allocates little, so collects rarely).
    let buffer = this.inputBuffers.pop();
    if (buffer === undefined || buffer.byteLength < chunk.length) buffer = new ArrayBuffer(Math.max(chunk.length, MIN_INPUT_BUFFER));
    new Uint8Array(buffer).set(chunk);
    this.post({ kind: "input", buffer, length: chunk.length }, [buffer]);
    this.inFlight++;
    if (this.inFlight < MAX_INPUT_IN_FLIGHT) cb();
    else this.writeWaiting = cb;
  }

  override _read(size: number): void {
    for (; this.untaken > 0; this.untaken--) this.post({ kind: "taken" });
    super._read(size);
  }

  override _flush(cb: TransformCallback): void {
    this.flushWaiting = cb;
    this.post({ kind: "end" });
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.stop();
    cb(err);
  }

  private post(request: LzwWorkerRequest, transfer: ArrayBuffer[] = []): void {
    if (!this.settled) this.worker.postMessage(request, transfer);
  }

  private onReply(reply: LzwWorkerReply): void {
    if (this.settled) return;
    switch (reply.kind) {
      case "output":
        try {
          this.guard.add(reply.length);
        } catch (err) {
          this.fail(err as Error);
          return;
        }
        if (this.push(Buffer.from(reply.buffer, reply.offset, reply.length))) this.post({ kind: "taken" });
        else this.untaken++;
        return;
      case "consumed": {
        this.inFlight--;
        this.inputBuffers.push(reply.buffer);
        const cb = this.writeWaiting;
        this.writeWaiting = undefined;
        cb?.();
        return;
      }
      case "done": {
        this.stop();
        const cb = this.flushWaiting;
        this.flushWaiting = undefined;
        cb?.();
        return;
      }
      case "failed":
        this.fail(this.failureError(reply));
        return;
    }
  }

  private failureError(reply: Extract<LzwWorkerReply, { kind: "failed" }>): Error {
    const context = { codec: "COMPRESS" };
    switch (reply.failure) {
      case "corrupt":
        return new CorruptCompressedDataError(reply.message, { context });
      case "truncated":
        return new TruncatedInputError(reply.message, { context });
      case "limit":
        // The worker stopped past the guard's allowance: let the guard word the error (it throws for these bytes).
        try {
          this.guard.add(reply.producedBytes - this.guard.bytes);
        } catch (err) {
          return err as Error;
        }
        return new Error(`.Z worker stopped at ${reply.producedBytes} bytes, within the limits`);
      case "other":
        return new Error(`.Z worker failed: ${reply.message}`);
    }
  }

  private fail(err: Error): void {
    if (this.settled) return;
    this.stop();
    const cb = this.flushWaiting ?? this.writeWaiting;
    this.flushWaiting = undefined;
    this.writeWaiting = undefined;
    if (cb) cb(err);
    else this.destroy(err);
  }

  private stop(): void {
    if (this.settled) return;
    this.settled = true;
    void this.worker.terminate();
  }
}
