/**
 * Worker-thread entry of the .Z decoder: runs `LzwDecoder` on the compressed
 * pieces the calling thread posts and sends back whole output windows
 * (transferred). `LzwDecoder` emits views into a window it never writes to
 * again once it has moved to the next one, so a window is sent as soon as
 * the first view of its successor arrives (or at the end): no copy, and the
 * calling thread hashes, checks and writes one window while this thread
 * decodes the next. Bundled as its own entry (`lzw-worker.js`, see
 * scripts/build-options.mjs).
 *
 * Bomb guard: the output is counted in the emit callback, which throws once it
 * passes `maxBytes`, so a bomb stops within one output slice (128 KiB plus a
 * string) here, whatever the calling thread is doing.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CorruptCompressedDataError, TruncatedInputError } from "./errors.js";
import { LzwDecoder } from "./lzw-decoder.js";
import type { LzwFailureKind, LzwWorkerData, LzwWorkerReply, LzwWorkerRequest } from "./lzw-worker-protocol.js";

const port = parentPort;
if (!port) throw new Error("lzw-worker must run on a worker thread");
const { maxBytes } = workerData as LzwWorkerData;

class OutputCapReached extends Error {}

let produced = 0;
/** Output windows sent and not yet taken by the calling thread's reader; decoding pauses at this many. */
const MAX_WINDOWS_OUT = 4;
let windowsOut = 0;
let window: ArrayBufferLike | undefined; // the window the pending range lies in
let start = 0;
let end = 0;

function send(reply: LzwWorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

function sendWindow(): void {
  if (window === undefined || end === start) return;
  // Windows are allocated by LzwDecoder with Buffer.allocUnsafe(> 1 KiB + 64 KiB): never from Node's shared pool.
  send({ kind: "output", buffer: window as ArrayBuffer, offset: start, length: end - start }, [window as ArrayBuffer]);
  window = undefined;
  windowsOut++;
}

const decoder = new LzwDecoder((chunk) => {
  produced += chunk.length;
  if (produced > maxBytes) throw new OutputCapReached();
  if (chunk.buffer !== window) {
    sendWindow(); // the decoder has moved on to a new window: the previous one is final
    window = chunk.buffer;
    start = chunk.byteOffset;
  }
  end = chunk.byteOffset + chunk.length;
});

function failureKind(err: unknown): LzwFailureKind {
  if (err instanceof OutputCapReached) return "limit";
  if (err instanceof CorruptCompressedDataError) return "corrupt";
  if (err instanceof TruncatedInputError) return "truncated";
  return "other";
}

const queue: LzwWorkerRequest[] = [];
let failed = false;

/** Decodes queued input while the calling thread keeps up with the output (backpressure from its reader). */
function pump(): void {
  while (!failed && windowsOut < MAX_WINDOWS_OUT && queue.length > 0) {
    const request = queue.shift() as LzwWorkerRequest;
    try {
      if (request.kind === "input") {
        decoder.push(new Uint8Array(request.buffer, 0, request.length));
        send({ kind: "consumed", buffer: request.buffer }, [request.buffer]);
      } else if (request.kind === "end") {
        decoder.finish();
        sendWindow();
        send({ kind: "done" });
      }
    } catch (err) {
      failed = true;
      const message = err instanceof Error ? err.message : String(err);
      send({ kind: "failed", failure: failureKind(err), message, producedBytes: produced });
    }
  }
}

port.on("message", (request: LzwWorkerRequest) => {
  if (request.kind === "taken") windowsOut--;
  else queue.push(request);
  pump();
});
