/**
 * bzip2, block by block (bzip2-block-decoder.ts), joined in order. Blocks
 * are decoded by a `BlockRunner`: a pool of worker threads for large inputs
 * (bzip2-worker-pool.ts), or the calling thread (`inThreadRunner`).
 *
 * 1. With workers, every bit offset holding the block magic is a candidate
 *    block start (bzip2-block-scan.ts). Candidates are decoded speculatively,
 *    in order, at most `lookahead` at a time, by workers sharing the input.
 *    On the calling thread there is no speculation: only the chain is decoded.
 * 2. The join walks the real chain: the first block starts right after the
 *    "BZh<level>" header; each next block (or the end-of-stream marker)
 *    starts exactly where the previous block ended. A candidate that is not
 *    on the chain is a false match inside some block's data and is dropped,
 *    its result unused. Each block's CRC was verified by its worker; the join
 *    folds them into the stream CRC and checks it at the end-of-stream marker,
 *    and checks each block's size against the stream's level.
 * 3. Multi-stream input continues at the next byte-aligned "BZh" header;
 *    anything else after a complete stream is ignored with a warning, as in
 *    `bzip2 -d` ("trailing garbage after EOF ignored").
 *
 * Limits: blocks are counted against the guard in order, before they are
 * passed on, so a bomb fails at the same block boundary as sequential
 * decoding would, and no more bytes than the limit leave. A worker stops a
 * block that alone would exceed what the guard still allows (`remaining()` at
 * dispatch), so decoding ahead never holds more than the limit per block.
 *
 * Errors are raised only when the chain reaches them: a failed candidate off
 * the chain is harmless.
 */
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { BLOCK_MAGIC, END_OF_STREAM_MAGIC, findBlockMagics, readBits } from "./bzip2-block-scan.js";
import { BlockInputEnded, type BlockResult, Bzip2BlockDecoder } from "./bzip2-block-decoder.js";
import { CorruptCompressedDataError, TruncatedInputError } from "./errors.js";
import type { LimitGuard } from "./limits.js";
import type { WarningSink } from "./warnings.js";

/** A block that could not be decoded (corrupt, a false candidate, or the input ended inside it). */
export class BlockDecodeFailure extends Error {
  constructor(
    message: string,
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

/** Decodes blocks of one input; failures reject with BlockDecodeFailure. */
export interface BlockRunner {
  run(bitPos: number, maxBytes: number): Promise<BlockResult>;
  /** Blocks decoded ahead of the chain (0: only the chain is decoded, no candidate scan). */
  readonly lookahead: number;
  close(): Promise<void>;
}

/** Blocks decoded on the calling thread, one at a time, each as its turn comes (small inputs, one-core machines). */
export function inThreadRunner(bytes: Uint8Array): BlockRunner {
  const decoder = new Bzip2BlockDecoder();
  return {
    lookahead: 0,
    async run(bitPos, maxBytes) {
      try {
        return decoder.decodeAt(bytes, bitPos, maxBytes);
      } catch (err) {
        throw new BlockDecodeFailure(err instanceof Error ? err.message : String(err), err instanceof BlockInputEnded);
      }
    },
    close: async () => {},
  };
}

const LEVEL_UNIT = 100_000;

function corrupt(message: string, context: Record<string, unknown> = {}): CorruptCompressedDataError {
  return new CorruptCompressedDataError(`bzip2 data is corrupt: ${message}`, { context: { codec: "BZIP2", ...context } });
}

function truncated(bytes: Uint8Array): TruncatedInputError {
  return new TruncatedInputError("bzip2 stream is truncated (input ended inside a block or before the end-of-stream marker)", {
    context: { codec: "BZIP2", compressedBytes: bytes.length },
  });
}

/** The level (1–9) of a "BZh<level>" header at byte `at`, or undefined. */
function streamHeader(bytes: Uint8Array, at: number): number | undefined {
  if (at + 4 > bytes.length || bytes[at] !== 0x42 || bytes[at + 1] !== 0x5a || bytes[at + 2] !== 0x68) return undefined;
  const level = bytes[at + 3]! - 0x30;
  return level >= 1 && level <= 9 ? level : undefined;
}

/**
 * A full garbage collection on the joining thread after every COLLECT_EVERY_BYTES of output. Each block's output is a fresh
 * ArrayBuffer (transferred from a worker, or made on this thread), dead soon after it is passed on; but while
 * blocks are joined this thread allocates too few objects for V8 to collect on its own, and V8 collects external
 * memory only after ~64 MB of it piled up. Measured on 50 MB of text (peak RSS of `aidp-watch decode`): 156 MB
 * without, 113 MB collecting after every 4 blocks (~3.6 MB), 118–123 MB after every 8 MiB; a young-generation
 * collection alone was not enough (the blocks live across a few yields and get promoted). A collection of the
 * CLI's small heap takes ~10 ms, while this thread mostly waits for the workers; per byte, the cost is bounded
 * by the interval (a 200 MB export: 25 collections). `--expose-gc` set at run time defines `gc` only in new contexts, hence the fresh
 * context, made on first use.
 */
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;
let gcFunction: (() => void) | undefined;
function collectGarbage(): void {
  if (!gcFunction) {
    setFlagsFromString("--expose-gc");
    gcFunction = runInNewContext("gc") as () => void;
  }
  gcFunction();
}

/**
 * `runner` makes what decodes the blocks of `bytes`, once the stream is first read (a stream destroyed unread
 * starts no workers); the stream closes it when it ends or fails.
 */
export function bzip2Stream(bytes: Uint8Array, guard: LimitGuard, warn: WarningSink, runner: () => BlockRunner): Readable {
  return Readable.from(joinBlocks(bytes, guard, warn, runner), { objectMode: false });
}

async function* joinBlocks(bytes: Uint8Array, guard: LimitGuard, warn: WarningSink, runner: () => BlockRunner): AsyncGenerator<Buffer> {
  let level = streamHeader(bytes, 0);
  if (level === undefined) throw corrupt("Not bzip data: bad magic");
  const pool = runner();
  const { lookahead } = pool;
  const candidates = lookahead > 0 ? findBlockMagics(bytes) : [];
  const inflight = new Map<number, Promise<BlockResult>>();
  let next = 0; // next candidate to dispatch
  let bit = 32; // where the chain continues
  let streamCrc = 0;
  let streams = 0;
  let sinceCollected = 0; // output bytes since the last collection

  const start = (bitPos: number) => {
    const p = pool.run(bitPos, guard.remaining());
    p.catch(() => {}); // failures matter only if the chain reaches this block
    inflight.set(bitPos, p);
  };
  const fill = () => {
    for (const at of inflight.keys()) if (at < bit) inflight.delete(at); // false candidates behind the chain
    while (inflight.size < lookahead && next < candidates.length) {
      const at = candidates[next++]!;
      if (at >= bit) start(at);
    }
  };

  try {
    for (;;) {
      const magic = readBits(bytes, bit, 48);
      if (magic === undefined) throw truncated(bytes);
      if (magic === BLOCK_MAGIC) {
        fill();
        if (!inflight.has(bit)) start(bit); // on the calling thread always (no candidates); with workers never (the scan finds every block)
        const pending = inflight.get(bit)!;
        inflight.delete(bit);
        let block: BlockResult;
        try {
          block = await pending;
        } catch (err) {
          if (err instanceof BlockDecodeFailure) {
            if (err.truncated) throw truncated(bytes);
            throw corrupt(err.message, { bitOffset: bit });
          }
          throw err;
        }
        if (block.kind === "over-budget") {
          guard.add(block.produced); // throws DecodeLimitError: the block alone exceeds what was left
          throw corrupt("block exceeded the decode budget", { bitOffset: bit }); // unreachable while the guard is consistent
        }
        if (block.bwtBytes > level * LEVEL_UNIT) throw corrupt(`block larger than the stream's level ${level}`, { bitOffset: bit });
        guard.add(block.data.length);
        streamCrc = (((streamCrc << 1) | (streamCrc >>> 31)) ^ block.crc) >>> 0;
        bit = block.endBit;
        fill();
        if (block.data.length > 0) yield Buffer.from(block.data.buffer, block.data.byteOffset, block.data.length);
        sinceCollected += block.data.length;
        if (sinceCollected >= COLLECT_EVERY_BYTES) {
          sinceCollected = 0;
          collectGarbage(); // earlier blocks are written (or held downstream) by now
        }
        continue;
      }
      if (magic !== END_OF_STREAM_MAGIC) throw corrupt("Not bzip data: no block or end-of-stream marker", { bitOffset: bit });
      const storedCrc = readBits(bytes, bit + 48, 32);
      if (storedCrc === undefined) throw truncated(bytes);
      if (storedCrc !== streamCrc) throw corrupt("stream CRC mismatch", { stream: streams });
      streams++;
      const at = Math.ceil((bit + 80) / 8); // streams are byte-aligned
      if (at >= bytes.length) return;
      level = streamHeader(bytes, at);
      if (level === undefined) {
        warn({
          code: "BZIP2_TRAILING_GARBAGE",
          message: `${bytes.length - at} bytes after bzip2 stream ${streams} are not bzip2 data; ignored`,
        });
        return;
      }
      bit = at * 8 + 32;
      streamCrc = 0;
    }
  } finally {
    await pool.close();
  }
}
