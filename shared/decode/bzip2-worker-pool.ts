import { Worker } from "node:worker_threads";
import type { BlockResult } from "./bzip2-block-decoder.js";
import { BlockDecodeFailure, type BlockRunner } from "./bzip2-stream.js";
import type { WorkerScript } from "./worker-script.js";

/** A request to decode the block at `bitPos`, producing at most `maxBytes`. */
export interface BlockJob {
  id: number;
  bitPos: number;
  maxBytes: number;
}
export type BlockReply = { id: number; result: BlockResult } | { id: number; error: { message: string; truncated: boolean } };

interface Pending {
  job: BlockJob;
  resolve: (r: BlockResult) => void;
  reject: (e: Error) => void;
}

/**
 * A fixed set of worker threads sharing one compressed input. Jobs wait in a
 * FIFO queue and go to whichever worker is idle; each worker holds one job at
 * a time, so a block the caller no longer needs (a false candidate) only costs
 * the time of that one decode. A crashed worker fails every job in flight and
 * queued (the caller then fails the part), never hangs it.
 */
export class Bzip2WorkerPool implements BlockRunner {
  /** Two blocks per worker: one decoding, one ready, so no worker waits for the join. */
  readonly lookahead: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(script: WorkerScript, input: Uint8Array, size: number) {
    this.lookahead = size * 2;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script.filename, { ...script.options, workerData: { input } });
      // An idle pool must not keep the process alive; jobs in flight do (see dispatch).
      worker.unref();
      worker.on("message", (reply: BlockReply) => this.settle(worker, reply));
      worker.on("error", (err) => this.fail(err));
      worker.on("exit", (code) => {
        if (this.busy.has(worker)) this.fail(new Error(`bzip2 worker exited (code ${code}) during a block`));
      });
      this.idle.push(worker);
    }
  }

  run(bitPos: number, maxBytes: number): Promise<BlockResult> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.queue.push({ job: { id: this.nextId++, bitPos, maxBytes }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.ref();
      worker.postMessage(pending.job);
    }
  }

  private settle(worker: Worker, reply: BlockReply): void {
    const pending = this.busy.get(worker);
    if (!pending || pending.job.id !== reply.id) return;
    this.busy.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if ("error" in reply) pending.reject(new BlockDecodeFailure(reply.error.message, reply.error.truncated));
    else pending.resolve(reply.result);
    this.dispatch();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of [...this.busy.values(), ...this.queue.splice(0)]) p.reject(this.failure);
    this.busy.clear();
  }
}
