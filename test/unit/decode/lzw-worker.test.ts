import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { decodePart } from "../../../shared/decode/decode-part.js";
import { LZW_WORKER_MIN_COMPRESSED_BYTES, decompressionStages } from "../../../shared/decode/decompress.js";
import { CorruptCompressedDataError, DecodeLimitError, TruncatedInputError } from "../../../shared/decode/errors.js";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, LimitGuard } from "../../../shared/decode/limits.js";
import { LzwDecodeTransform } from "../../../shared/decode/lzw-transform.js";
import type { LzwWorkerReply } from "../../../shared/decode/lzw-worker-protocol.js";
import { LzwWorkerTransform } from "../../../shared/decode/lzw-worker-transform.js";
import { workerScript } from "../../../shared/decode/worker-script.js";
import { compressCli } from "../../support/compressors.js";
import { textLike } from "../../support/text-like.js";

const script = workerScript(new URL("../../../shared/decode/lzw-worker-transform.ts", import.meta.url).href, "lzw-worker");
if (!script) throw new Error("lzw-worker.ts not found");

const text = textLike(3_000_000, 11);
const mixed = Buffer.concat([text.subarray(0, 1_000_000), randomBytes(600_000), text.subarray(1_000_000)]);

/** Decodes `z` through the worker transform, fed in `piece`-byte chunks; `slow` reads with a delay per chunk. */
async function viaWorker(z: Uint8Array, options: { piece?: number; slow?: boolean; limits?: Partial<DecodeLimits> } = {}) {
  const guard = new LimitGuard({ ...DEFAULT_DECODE_LIMITS, ...options.limits }, z.length);
  const piece = options.piece ?? 65536;
  const pieces: Buffer[] = [];
  for (let i = 0; i < z.length; i += piece) pieces.push(Buffer.from(z.subarray(i, i + piece)));
  const out: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk);
      if (options.slow) setTimeout(cb, 2);
      else cb();
    },
  });
  await pipeline(Readable.from(pieces), new LzwWorkerTransform(script!, guard), sink);
  return Buffer.concat(out);
}

describe(".Z on a worker thread", () => {
  it("is byte-exact against compress(1) output, whatever the input pieces and reader speed", async () => {
    const z = compressCli(mixed, 16);
    expect((await viaWorker(z)).equals(mixed)).toBe(true);
    expect((await viaWorker(z, { piece: 777, slow: true })).equals(mixed)).toBe(true);
    const z12 = compressCli(mixed, 12); // CLEAR codes once the 12-bit table is full
    expect((await viaWorker(z12, { piece: 1 << 20 })).equals(mixed)).toBe(true);
  });

  it("decodes an empty stream and reports corrupt and truncated input with the decoder's error types", async () => {
    expect((await viaWorker(compressCli(Buffer.alloc(0)))).length).toBe(0);
    const z = compressCli(text, 16);
    const corrupt = Buffer.from(z);
    corrupt[1] = 0x8b;
    await expect(viaWorker(corrupt)).rejects.toBeInstanceOf(CorruptCompressedDataError);
    await expect(viaWorker(z.subarray(0, 3 + 9 * 2 + 1))).rejects.toBeInstanceOf(TruncatedInputError);
    const badCode = Buffer.concat([Buffer.from([0x1f, 0x9d, 0x90, 0x61, (300 << 1) & 0xff, (300 << 1) >> 8, 0])]);
    await expect(viaWorker(badCode)).rejects.toThrow(/invalid code 300/);
  });

  it("stops a bomb with the guard's DecodeLimitError", async () => {
    const bomb = compressCli(Buffer.alloc(64 * 1024 * 1024), 16);
    const err = await viaWorker(bomb, { limits: { maxDecodedBytes: 3_000_000 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeLimitError);
  });

  it("the worker stops itself once its output passes maxBytes (the calling thread may be busy and never read)", async () => {
    const bomb = compressCli(Buffer.alloc(64 * 1024 * 1024), 16);
    const maxBytes = 2_000_000;
    const worker = new Worker(script.filename, { ...script.options, workerData: { maxBytes } });
    try {
      const replies: LzwWorkerReply[] = [];
      const finished = new Promise<void>((resolve, reject) => {
        worker.on("error", reject);
        worker.on("message", (reply: LzwWorkerReply) => {
          replies.push(reply);
          // Take every window at once, so only the cap (not flow control) can stop the worker.
          if (reply.kind === "output") worker.postMessage({ kind: "taken" });
          if (reply.kind === "done" || reply.kind === "failed") resolve();
        });
      });
      const input = new Uint8Array(bomb);
      worker.postMessage({ kind: "input", buffer: input.buffer, length: input.length });
      worker.postMessage({ kind: "end" });
      await finished;
      const last = replies.at(-1);
      expect(last).toMatchObject({ kind: "failed", failure: "limit" });
      // Stopped within one output slice (128 KiB) plus one string (< 64 KiB) past the cap.
      expect(last?.kind === "failed" && last.producedBytes).toBeLessThanOrEqual(maxBytes + 192 * 1024);
      const sent = replies.reduce((n, r) => n + (r.kind === "output" ? r.length : 0), 0);
      expect(sent).toBeLessThanOrEqual(maxBytes);
    } finally {
      await worker.terminate();
    }
  });

  it("a consumer that holds every chunk and reads slowly finds each unchanged at the end (windows are never reused)", async () => {
    // ~12 MB of output is ~14 windows: far more than flow control lets wait, so reuse would show.
    const data = textLike(12_000_000, 5);
    const z = compressCli(data, 16);
    const guard = new LimitGuard(DEFAULT_DECODE_LIMITS, z.length);
    const held: Array<{ chunk: Buffer; length: number; sha: string }> = [];
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    const sink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        held.push({ chunk, length: chunk.length, sha: sha(chunk) }); // the chunk itself is kept, not a copy
        setTimeout(cb, 5);
      },
    });
    await pipeline(Readable.from([z.subarray(0, 100_000), z.subarray(100_000)]), new LzwWorkerTransform(script!, guard), sink);
    expect(held.length).toBeGreaterThan(10);
    for (const { chunk, length, sha: atArrival } of held) {
      expect(chunk.length).toBe(length);
      expect(sha(chunk)).toBe(atArrival);
    }
    expect(Buffer.concat(held.map((h) => h.chunk)).equals(data)).toBe(true);
  });

  it("decompressionStages decodes large .Z inputs on the worker and small ones on the calling thread", async () => {
    const guard = () => new LimitGuard(DEFAULT_DECODE_LIMITS, 0);
    const warn = () => {};
    const large = decompressionStages({ kind: "bytes", bytes: Buffer.alloc(LZW_WORKER_MIN_COMPRESSED_BYTES) }, "COMPRESS", guard(), warn);
    const small = decompressionStages({ kind: "bytes", bytes: Buffer.alloc(1000) }, "COMPRESS", guard(), warn);
    expect(large[1]).toBeInstanceOf(LzwWorkerTransform);
    expect(small[1]).toBeInstanceOf(LzwDecodeTransform);
    for (const stage of [...large, ...small]) stage.destroy();
  });

  it("decodePart decodes a large base64 .Z part through the worker, byte-exact, with its size and SHA-256", async () => {
    const data = Buffer.concat([randomBytes(LZW_WORKER_MIN_COMPRESSED_BYTES), text.subarray(0, 500_000)]);
    const z = compressCli(data, 16);
    expect(z.length).toBeGreaterThanOrEqual(LZW_WORKER_MIN_COMPRESSED_BYTES);
    const decoded = await decodePart({ type: "APPLICATION_PDF", isBase64: true, compression: "COMPRESS", value: z.toString("base64") });
    expect(decoded.data.equals(data)).toBe(true);
    expect(decoded.bytes).toBe(data.length);
    expect(decoded.sha256).toBe(createHash("sha256").update(data).digest("hex"));
  });
});
