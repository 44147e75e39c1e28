/**
 * Worker-thread entry of the parallel bzip2 decoder: decodes the blocks it is
 * asked for (bit offsets into the compressed input, which all workers share
 * as one SharedArrayBuffer, never copied) and sends each block's bytes back
 * (transferred, not copied). One job at a time; the pool queues the rest.
 * Bundled as its own entry (`bzip2-worker.js`, see scripts/build-options.mjs).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import { BlockInputEnded, decodeBlockAt } from "./bzip2-block-decoder.js";
import type { BlockJob, BlockReply } from "./bzip2-worker-pool.js";

// seek-bzip allocates with `new Buffer(n)`; bundled, Node cannot tell it is a dependency and warns once per worker.
process.noDeprecation = true;
/**
 * Each block allocates ~5 MB of typed arrays (seek-bzip's 3.6 MB BWT buffer, our output) that are garbage once
 * the block is sent. V8 collects such external memory only after ~64 MB of it accumulated, so every worker would
 * sit on up to 64 MB of dead blocks. A full collection every COLLECT_EVERY blocks bounds that to ~20 MB. Measured
 * on 50 MB of text with 2 workers: peak RSS 209 MB without, 171 MB collecting after every block, which cost
 * 1.3 s of CPU (+15%); every 4th block is the compromise (one run, 189 MB; its CPU cost was lost in the noise of
 * a loaded machine). `--expose-gc` set at run time applies to new
 * contexts only, hence the `gc` function from a fresh context.
 */
const COLLECT_EVERY = 4;
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;
let blocks = 0;

const { input } = workerData as { input: Uint8Array };
const port = parentPort;
if (!port) throw new Error("bzip2-worker must run on a worker thread");

port.on("message", (job: BlockJob) => {
  let reply: BlockReply;
  try {
    const result = decodeBlockAt(input, job.bitPos, job.maxBytes);
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
port.on("message", () => {
  if (++blocks % COLLECT_EVERY === 0) setImmediate(collect); // after the reply above is sent
});
