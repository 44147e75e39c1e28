/**
 * Builds the byte-producing half of the pipeline: source (base64 slices or the
 * raw value) followed by the codec and the limit guard. Returned as a list of
 * streams for `stream.pipeline`.
 */
import { availableParallelism } from "node:os";
import { type Duplex, Readable } from "node:stream";
import type { Base64Text } from "./ascii-text.js";
import { base64DecodedLength, base64Stream, decodeBase64Strict } from "./base64-stream.js";
import { type BlockRunner, bzip2Stream, inThreadRunner } from "./bzip2-stream.js";
import { Bzip2WorkerPool } from "./bzip2-worker-pool.js";
import { DeflateAutoDecoder } from "./deflate.js";
import { createGzipDecoder } from "./gzip.js";
import type { LimitGuard } from "./limits.js";
import { LzwDecodeTransform } from "./lzw-transform.js";
import { LzwWorkerTransform } from "./lzw-worker-transform.js";
import { NextTickRelay } from "./next-tick-relay.js";
import type { WarningSink } from "./warnings.js";
import { type WorkerScript, workerScript } from "./worker-script.js";

export type ByteSource = { kind: "base64"; value: Base64Text; chunkChars: number } | { kind: "bytes"; bytes: Buffer };
export type KnownCompression = "GZIP" | "DEFLATE" | "COMPRESS" | "BZIP2" | "NONE";

/** When bzip2 is decoded on worker threads (see DecodeOptions.bzip2Parallel). */
export interface Bzip2Parallelism {
  /** Worker threads; 0 or 1 decodes on the calling thread. Default: the machine's parallelism, at most 4. */
  workers: number;
  /**
   * Smaller compressed inputs decode on the calling thread. Default 1 MiB (about
   * four 900 kB blocks of text): below that, starting workers (~30 ms each) costs
   * more than they save.
   */
  minCompressedBytes: number;
}

export const DEFAULT_BZIP2_PARALLELISM: Bzip2Parallelism = Object.freeze({
  workers: Math.min(4, availableParallelism()),
  minCompressedBytes: 1024 * 1024,
});

// Looked up on first use, not at load (a file-system check that most decodes don't need).
let bzip2Worker: WorkerScript | undefined | null = null;
function bzip2WorkerScript(): WorkerScript | undefined {
  if (bzip2Worker === null) bzip2Worker = workerScript(import.meta.url, "bzip2-worker");
  return bzip2Worker;
}

/**
 * .Z inputs from this size on decode on a worker thread (lzw-worker-transform.ts), when the machine has a second
 * core. Below it, starting the worker (~30 ms) costs more than the overlap saves: 1 MiB of text-like .Z decodes
 * in about 15–20 ms.
 */
export const LZW_WORKER_MIN_COMPRESSED_BYTES = 1024 * 1024;

let lzwWorker: WorkerScript | undefined | null = null;
function lzwWorkerScript(): WorkerScript | undefined {
  if (lzwWorker === null) lzwWorker = workerScript(import.meta.url, "lzw-worker");
  return lzwWorker;
}

function lzwStage(source: ByteSource, guard: LimitGuard): Duplex {
  const size = source.kind === "base64" ? base64DecodedLength(source.value) : source.bytes.length;
  const script = size >= LZW_WORKER_MIN_COMPRESSED_BYTES && availableParallelism() > 1 ? lzwWorkerScript() : undefined;
  return script ? new LzwWorkerTransform(script, guard) : new LzwDecodeTransform(guard);
}

function sourceStream(source: ByteSource): Readable {
  return source.kind === "base64"
    ? base64Stream(source.value, source.chunkChars)
    : Readable.from(source.bytes.length > 0 ? [source.bytes] : [], { objectMode: false });
}

/** The whole compressed input (bzip2 blocks are found by bit offset), in shared memory when workers read it. */
function wholeBytes(source: ByteSource, shared: boolean): Buffer {
  const alloc = shared ? (size: number) => Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe;
  if (source.kind === "base64") return decodeBase64Strict(source.value, source.chunkChars, alloc);
  if (!shared) return source.bytes;
  const out = alloc(source.bytes.length);
  source.bytes.copy(out);
  return out;
}

function bzip2Stages(source: ByteSource, guard: LimitGuard, warn: WarningSink, parallel: Bzip2Parallelism): Readable {
  const size = source.kind === "base64" ? base64DecodedLength(source.value) : source.bytes.length;
  const script = parallel.workers > 1 && size >= parallel.minCompressedBytes ? bzip2WorkerScript() : undefined;
  let bytes: Buffer;
  try {
    bytes = wholeBytes(source, script !== undefined);
  } catch (err) {
    return new Readable({
      read() {
        this.destroy(err as Error);
      },
    });
  }
  const runner = (): BlockRunner => (script ? new Bzip2WorkerPool(script, bytes, parallel.workers) : inThreadRunner(bytes));
  return bzip2Stream(bytes, guard, warn, runner);
}

export function decompressionStages(
  source: ByteSource,
  compression: KnownCompression,
  guard: LimitGuard,
  warn: WarningSink,
  bzip2Parallel: Bzip2Parallelism = DEFAULT_BZIP2_PARALLELISM,
): Array<Readable | Duplex> {
  switch (compression) {
    case "NONE":
      return [sourceStream(source), guard.transform()];
    case "GZIP":
      return [sourceStream(source), createGzipDecoder(), new NextTickRelay(), guard.transform()];
    case "DEFLATE":
      return [sourceStream(source), new DeflateAutoDecoder(warn), new NextTickRelay(), guard.transform()];
    case "COMPRESS":
      return [sourceStream(source), lzwStage(source, guard)];
    case "BZIP2":
      return [bzip2Stages(source, guard, warn, bzip2Parallel)];
  }
}
