/**
 * Worker-thread entry of the parallel bzip2 decoder: decodes the blocks it is
 * asked for (bit offsets into the compressed input, which all workers share
 * as one SharedArrayBuffer, never copied) and sends each block's bytes back
 * (transferred, not copied). One job at a time; the pool queues the rest.
 * Bundled as its own entry (`bzip2-worker.js`, see scripts/build-options.mjs).
 */
import { parentPort, workerData } from "node:worker_threads";
import { BlockInputEnded, Bzip2BlockDecoder } from "./bzip2-block-decoder.js";
import type { BlockJob, BlockReply } from "./bzip2-worker-pool.js";

// One decoder per worker: its 3.6 MB BWT array is reused for every block, and each block's output is
// transferred away, so a worker leaves no garbage behind per block.
const decoder = new Bzip2BlockDecoder();

const { input } = workerData as { input: Uint8Array };
const port = parentPort;
if (!port) throw new Error("bzip2-worker must run on a worker thread");

port.on("message", (job: BlockJob) => {
  let reply: BlockReply;
  try {
    const result = decoder.decodeAt(input, job.bitPos, job.maxBytes);
    reply = { id: job.id, result };
    if (result.kind === "ok") {
      port.postMessage(reply, [result.data.buffer as ArrayBuffer]);
      return;
    }
  } catch (err) {
    reply = {
      id: job.id,
      error: { message: err instanceof Error ? err.message : String(err), truncated: err instanceof BlockInputEnded },
    };
  }
  port.postMessage(reply);
});
