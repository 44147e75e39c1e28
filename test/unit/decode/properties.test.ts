import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePart } from "../../../shared/decode/decode-part.js";
import { DecodeError } from "../../../shared/decode/errors.js";
import { bzip2Cli, deflateRawNode, gzipNode, zlibWrappedNode } from "../../support/compressors.js";
import { lzwEncode } from "../../support/lzw-encoder.js";

const ENCODERS: [string, string, (b: Uint8Array) => Buffer][] = [
  ["GZIP", "GZIP", gzipNode],
  ["DEFLATE zlib", "DEFLATE", zlibWrappedNode],
  ["DEFLATE raw", "DEFLATE", deflateRawNode],
  ["COMPRESS", "COMPRESS", (b) => lzwEncode(b, { maxBits: 12 })],
];

const decodeBinary = (compression: string | undefined, bytes: Uint8Array, chunk = 64) =>
  decodePart(
    { type: "IMAGE_WEBP", isBase64: true, compression, value: Buffer.from(bytes).toString("base64") },
    { base64ChunkChars: chunk },
  );

describe("property: random bytes round-trip through each codec and the whole pipeline", () => {
  it.each(ENCODERS)("%s", async (_name, compression, enc) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), fc.integer({ min: 4, max: 2000 }), async (bytes, chunk) => {
        const r = await decodeBinary(compression, enc(bytes), chunk);
        expect(r.data.equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("BZIP2 (bzip2 CLI as the encoder, fewer runs: one process each)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), async (bytes) => {
        const r = await decodeBinary("BZIP2", bzip2Cli(bytes));
        expect(r.data.equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe("property: garbage never hangs or crashes (a result or a typed DecodeError)", () => {
  const expectTypedOrResult = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
    }
  };
  // Garbage with each codec's magic in front too, so it gets past the first check.
  const MAGIC: Record<string, number[]> = {
    GZIP: [0x1f, 0x8b, 0x08, 0x00],
    DEFLATE: [0x78, 0x9c],
    BZIP2: [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
    COMPRESS: [0x1f, 0x9d, 0x90],
  };
  it.each(Object.keys(MAGIC))("%s", async (compression) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (bytes, withMagic) => {
        const input = withMagic ? Buffer.concat([Buffer.from(MAGIC[compression]!), bytes]) : bytes;
        await expectTypedOrResult(decodeBinary(compression, input));
      }),
      { numRuns: 200 },
    );
  });

  it("mutated valid streams (bit flips, truncation) for each codec", async () => {
    const sample = Buffer.from("The quick brown fox jumps over the lazy dog. ".repeat(200));
    const valid: [string, Buffer][] = [
      ["GZIP", gzipNode(sample)],
      ["DEFLATE", zlibWrappedNode(sample)],
      ["BZIP2", bzip2Cli(sample)],
      ["COMPRESS", lzwEncode(sample)],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(),
        async ([compression, stream], at, xor, cut) => {
          const mutated = Buffer.from(stream);
          mutated[at % mutated.length]! ^= xor;
          await expectTypedOrResult(decodeBinary(compression, mutated.subarray(0, mutated.length - (cut % 8))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("base64 garbage", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom(undefined, "GZIP", "BZIP2", "COMPRESS", "DEFLATE"), async (s, c) => {
        await expectTypedOrResult(decodePart({ type: "TEXT_PLAIN", isBase64: true, compression: c, charset: "UTF_16", value: s }));
      }),
      { numRuns: 300 },
    );
  });
});
