import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Bzip2BlockDecoder } from "../../../shared/decode/bzip2-block-decoder.js";
import { BLOCK_MAGIC, findBlockMagics, readBits } from "../../../shared/decode/bzip2-block-scan.js";
import { type DecodeOptions, decodePart, decodePartToStream } from "../../../shared/decode/decode-part.js";
import { CorruptCompressedDataError, DecodeLimitError, TruncatedInputError } from "../../../shared/decode/errors.js";
import { bzip2Cli } from "../../support/compressors.js";
import { textLike } from "../../support/text-like.js";

// Forced onto worker threads even for small inputs; level 1 (100 kB blocks) gives many blocks from little data.
const PARALLEL: DecodeOptions = { bzip2Parallel: { workers: 2, minCompressedBytes: 0 } };
const SEQUENTIAL: DecodeOptions = { bzip2Parallel: { workers: 0 } };

const part = (bytes: Uint8Array) => ({
  type: "APPLICATION_PDF",
  isBase64: true,
  compression: "BZIP2",
  value: Buffer.from(bytes).toString("base64"),
});
const decode = (bytes: Uint8Array, options: DecodeOptions = PARALLEL) => decodePart(part(bytes), options);

const text = textLike(1_000_000, 7);
const rnd = randomBytes(300_000);

/** Bit-by-bit reference for the scan. */
function naiveMagics(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let bit = 0; bit + 48 <= bytes.length * 8; bit++) if (readBits(bytes, bit, 48) === BLOCK_MAGIC) out.push(bit);
  return out;
}

describe("block scan", () => {
  it("finds the block magic at every bit offset, like a bit-by-bit search", () => {
    const magic = Buffer.from([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 64 }), fc.integer({ min: 0, max: 400 }), (noise, at) => {
        // Write the magic at bit offset `at` into a noise buffer.
        const bytes = Buffer.concat([Buffer.from(noise), Buffer.alloc(60)]);
        for (let b = 0; b < 48; b++) {
          const bit = (magic[b >>> 3]! >>> (7 - (b & 7))) & 1;
          const pos = at + b;
          bytes[pos >>> 3] = (bytes[pos >>> 3]! & ~(1 << (7 - (pos & 7)))) | (bit << (7 - (pos & 7)));
        }
        const found = findBlockMagics(bytes);
        expect(found).toContain(at);
        expect(found).toEqual(naiveMagics(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("finds every block of a real multi-block file", () => {
    const bz = bzip2Cli(text, 1);
    expect(findBlockMagics(bz).length).toBeGreaterThanOrEqual(10);
  });
});

describe("parallel BZIP2 (worker threads) is byte-exact against bzip2(1)", () => {
  it("multi-block files, empty and 1-byte files, at every level", async () => {
    for (const level of [1, 5, 9]) {
      const r = await decode(bzip2Cli(text, level));
      expect(r.data.equals(text)).toBe(true);
    }
    for (const data of [rnd, Buffer.alloc(0), Buffer.from("z")]) {
      expect((await decode(bzip2Cli(data, 1))).data.equals(data)).toBe(true);
    }
  });

  it("multi-stream files with different levels, and trailing garbage that contains a false block magic", async () => {
    const multi = Buffer.concat([bzip2Cli(text, 1), bzip2Cli(rnd, 9), bzip2Cli(Buffer.from("end"), 5)]);
    expect((await decode(multi)).data.equals(Buffer.concat([text, rnd, Buffer.from("end")]))).toBe(true);
    // The scan finds the magic in the garbage; its speculative decode fails off the chain and changes nothing.
    const garbage = Buffer.concat([Buffer.from([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]), randomBytes(200)]);
    const withGarbage = Buffer.concat([bzip2Cli(text, 1), garbage]);
    const parallel = await decode(withGarbage);
    const sequential = await decode(withGarbage, SEQUENTIAL);
    expect(parallel.data.equals(text)).toBe(true);
    expect(parallel.warnings).toEqual(sequential.warnings);
    expect(parallel.warnings.map((w) => w.code)).toContain("BZIP2_TRAILING_GARBAGE");
  });

  it("property: random text-like payloads, sizes and levels decode as in sequential mode and as the input", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 9 }),
        async (size, seed, level) => {
          const data = textLike(size, seed);
          const r = await decode(bzip2Cli(data, level));
          expect(r.data.equals(data)).toBe(true);
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe("BZIP2 runs and block CRCs, on worker threads and on the calling thread", () => {
  it("property: run-heavy data (runs of 1 to 600 equal bytes: the initial run-length coding's 4 + count) is byte-exact", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 600 })), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 9 }),
        async (runs, level) => {
          const data = Buffer.concat(runs.map(([byte, count]) => Buffer.alloc(count, byte)));
          const bz = bzip2Cli(data, level);
          expect((await decode(bz, SEQUENTIAL)).data.equals(data)).toBe(true);
          expect((await decode(bz)).data.equals(data)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("a block whose stored CRC disagrees with its bytes fails at that block, before any of its bytes leave", async () => {
    const bz = bzip2Cli(text, 1);
    const blocks = findBlockMagics(bz);
    // The block CRC is the 32 bits right after the 48-bit magic; its data still decodes, so only the CRC check sees it.
    const bad = Buffer.from(bz);
    const crcBit = blocks[3]! + 48 + 7;
    bad[crcBit >>> 3]! ^= 0x80 >>> (crcBit & 7);
    for (const options of [SEQUENTIAL, PARALLEL]) {
      const { stream, result } = decodePartToStream(part(bad), options);
      let passedOn = 0;
      const sink = new Writable({
        write: (c: Buffer, _e, cb) => {
          passedOn += c.length;
          cb();
        },
      });
      await expect(pipeline(stream, sink)).rejects.toThrow(/block CRC mismatch/);
      await expect(result).rejects.toThrow(CorruptCompressedDataError);
      expect(passedOn).toBeLessThanOrEqual(3 * 100_000 * 1.25); // at most the three blocks before it
    }
  });
});

describe("parallel BZIP2 errors and limits", () => {
  const bz = bzip2Cli(text, 1);

  it("a corrupt block in the middle fails with its CRC, as sequentially", async () => {
    const bad = Buffer.from(bz);
    const blocks = findBlockMagics(bz);
    bad[Math.floor(blocks[5]! / 8) + 2000]! ^= 0x10;
    await expect(decode(bad)).rejects.toThrow(CorruptCompressedDataError);
    await expect(decode(bad, SEQUENTIAL)).rejects.toThrow(CorruptCompressedDataError);
  });

  it("a wrong stream CRC fails", async () => {
    // The stream's last 32 bits before the final byte's padding are its CRC: the second-to-last byte is all CRC.
    const bad = Buffer.from(bz);
    bad[bad.length - 2]! ^= 0x01;
    await expect(decode(bad)).rejects.toThrow(/stream CRC mismatch/);
  });

  it("truncation inside a block and right at a block start fails as truncated", async () => {
    await expect(decode(bz.subarray(0, bz.length - 7))).rejects.toThrow(TruncatedInputError);
    const third = findBlockMagics(bz)[3]!;
    await expect(decode(bz.subarray(0, Math.floor(third / 8) + 3))).rejects.toThrow(TruncatedInputError);
    await expect(decode(bz.subarray(0, bz.length / 2))).rejects.toThrow(TruncatedInputError);
  });

  it("a bomb spread over many blocks stops at the limit, with no more bytes out than sequentially", async () => {
    const zeros = bzip2Cli(Buffer.alloc(40 * 1024 * 1024), 1); // ~8 blocks of ~5 MB each from a few hundred bytes
    const limits = { maxDecodedBytes: 12 * 1024 * 1024 };
    const passedOn = async (options: DecodeOptions) => {
      const { stream, result } = decodePartToStream(part(zeros), { ...options, limits });
      let bytes = 0;
      const sink = new Writable({
        write: (c: Buffer, _e, cb) => {
          bytes += c.length;
          cb();
        },
      });
      await expect(pipeline(stream, sink)).rejects.toThrow(DecodeLimitError);
      await expect(result).rejects.toThrow(/maxDecodedBytes/);
      return bytes;
    };
    const parallel = await passedOn(PARALLEL);
    const sequential = await passedOn(SEQUENTIAL);
    expect(parallel).toBeLessThanOrEqual(limits.maxDecodedBytes);
    expect(parallel).toBeLessThanOrEqual(sequential);
  });

  it("a block decoded ahead stops at the allowance it was given, holding no more than that (a bomb's block never expands whole)", () => {
    const zeros = bzip2Cli(Buffer.alloc(5 * 1024 * 1024), 1); // the first 100 kB block of runs holds ~5 MB
    const decoder = new Bzip2BlockDecoder();
    const capped = decoder.decodeAt(zeros, 32, 1_000_000);
    expect(capped.kind).toBe("over-budget");
    if (capped.kind === "over-budget") expect(capped.produced).toBeLessThanOrEqual(1_000_000 + 255);
    const whole = decoder.decodeAt(zeros, 32, 10 * 1024 * 1024);
    expect(whole.kind).toBe("ok");
    if (whole.kind === "ok") {
      expect(whole.data.length).toBeGreaterThan(4_000_000);
      expect(whole.data.every((b) => b === 0)).toBe(true);
    }
  });

  it("the ratio limit applies in the parallel path too, also when every block alone is under it", async () => {
    // ~5 MB blocks against an 8 MB allowance: only counting the blocks in order catches it.
    const zeros = bzip2Cli(Buffer.alloc(20 * 1024 * 1024), 1);
    await expect(decode(zeros, { ...PARALLEL, limits: { maxExpansionRatio: 100, ratioGraceBytes: 8 * 1024 * 1024 } })).rejects.toThrow(
      /maxExpansionRatio/,
    );
  });
});
