import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CorruptCompressedDataError, DecodeError, TruncatedInputError } from "../../../shared/decode/errors.js";
import { LzwDecoder, type LzwDecoderOptions } from "../../../shared/decode/lzw-decoder.js";
import { compressCli, uncompressCli } from "../../support/compressors.js";
import { lzwEncode } from "../../support/lzw-encoder.js";
import { textLike } from "../../support/text-like.js";

/** Decode with the input split into pieces of the given sizes (cycled). */
function lzwDecode(input: Uint8Array, pieces: number[] = [input.length || 1], options?: LzwDecoderOptions): Buffer {
  const out: Buffer[] = [];
  const d = new LzwDecoder((c) => out.push(Buffer.from(c)), options);
  let i = 0;
  let k = 0;
  while (i < input.length) {
    const n = Math.max(1, pieces[k++ % pieces.length]!);
    d.push(input.subarray(i, i + n));
    i += n;
  }
  d.finish();
  return Buffer.concat(out);
}

const random1M = randomBytes(1_200_000);
const text = textLike(300_000, 7);

describe("LZW (.Z) decoder against real compress(1) output", () => {
  it.each([10, 11, 12, 13, 14, 15, 16])("decodes text made with compress -b%i", (bits) => {
    const z = compressCli(text, bits);
    expect(lzwDecode(z).equals(text)).toBe(true);
  });

  it("decodes ≥1 MB of random data (table fills, CLEAR codes) with -b16 and -b12", () => {
    for (const bits of [16, 12]) {
      const z = compressCli(random1M, bits);
      expect(uncompressCli(z).equals(random1M)).toBe(true); // sanity: the fixture is readable
      expect(lzwDecode(z).equals(random1M)).toBe(true);
    }
  });

  it("gives identical output however the input is chunked (every split point of the quirky group skips)", () => {
    const z = compressCli(Buffer.concat([random1M.subarray(0, 200_000), text.subarray(0, 100_000)]), 16);
    const expected = lzwDecode(z);
    for (const pieces of [[1], [2, 3, 5, 7], [9], [16], [4095, 1], [65536]]) {
      expect(lzwDecode(z, pieces).equals(expected)).toBe(true);
    }
  });

  it("gives identical output with tiny output windows (strings leave the window and are rebuilt from the table)", () => {
    const data = Buffer.concat([text.subarray(0, 150_000), random1M.subarray(0, 100_000), text.subarray(150_000)]);
    const z = compressCli(data, 16);
    for (const options of [{ windowBytes: 1024, sliceBytes: 100 }, { windowBytes: 5000, sliceBytes: 1 << 20 }, { windowBytes: 70_000 }]) {
      expect(lzwDecode(z, [777], options).equals(data)).toBe(true);
    }
  });

  it("emitted slices stay intact after later output (views are never overwritten)", () => {
    const z = compressCli(text, 16);
    const views: Buffer[] = [];
    const d = new LzwDecoder((c) => views.push(c), { windowBytes: 4096, sliceBytes: 1000 });
    d.push(z);
    d.finish();
    expect(views.length).toBeGreaterThan(text.length / 4096);
    expect(Buffer.concat(views).equals(text)).toBe(true);
  });

  it("property: round trips with tiny windows, any width, with and without CLEAR", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20_000 }),
        fc.integer({ min: 10, max: 16 }),
        fc.boolean(),
        fc.integer({ min: 1024, max: 3000 }),
        (bytes, maxBits, clearWhenFull, windowBytes) => {
          // Repetitive input gives long strings, the chain fallback and KwKwK codes.
          const data = Buffer.concat([Buffer.from(bytes), Buffer.from(bytes), Buffer.alloc(3000, bytes[0] ?? 7)]);
          const z = lzwEncode(data, { maxBits, clearWhenFull });
          expect(lzwDecode(z, [513], { windowBytes, sliceBytes: 300 }).equals(data)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("decodes empty and 1-byte files", () => {
    expect(lzwDecode(compressCli(Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
    expect(lzwDecode(compressCli(Buffer.from("a")))).toEqual(Buffer.from("a"));
  });

  it("decodes a non-block-mode stream (no CLEAR; 256 is an ordinary code)", () => {
    // Hand-made: header without 0x80, codes 'a','b',256 ('ab') as 9-bit LSB-first.
    const codes = [0x61, 0x62, 256];
    let bits = 0n;
    codes.forEach((c, i) => {
      bits |= BigInt(c) << BigInt(9 * i);
    });
    const body = Buffer.alloc(4);
    for (let i = 0; i < 4; i++) body[i] = Number((bits >> BigInt(8 * i)) & 0xffn);
    expect(lzwDecode(Buffer.concat([Buffer.from([0x1f, 0x9d, 16]), body])).toString()).toBe("abab");
  });
});

describe("LZW decoder errors", () => {
  it("rejects bad magic, reserved flags and out-of-range widths", () => {
    expect(() => lzwDecode(Buffer.from([0x1f, 0x8b, 0x90, 0, 0]))).toThrow(/bad magic/);
    expect(() => lzwDecode(Buffer.from([0x1f, 0x9d, 0x90 | 0x20, 0x61, 0]))).toThrow(/unknown flags/);
    expect(() => lzwDecode(Buffer.from([0x1f, 0x9d, 0x88, 0x61, 0]))).toThrow(/out of range/);
    expect(() => lzwDecode(Buffer.from([0x1f, 0x9d, 0x91, 0x61, 0]))).toThrow(CorruptCompressedDataError);
  });

  it("rejects a code beyond the table", () => {
    // first code 'a' then code 300 while the table ends at 256.
    const body = Buffer.from([0x61, (300 << 1) & 0xff, (300 << 1) >> 8, 0]);
    expect(() => lzwDecode(Buffer.concat([Buffer.from([0x1f, 0x9d, 0x90]), body]))).toThrow(/invalid code 300/);
  });

  it("reports truncation inside a code and inside the header", () => {
    const z = compressCli(text, 16);
    const cutInCode = z.subarray(0, 3 + 9 * 2 + 1); // 9-bit codes: a cut after 19 body bytes splits a code
    expect(() => lzwDecode(cutInCode)).toThrow(TruncatedInputError);
    expect(() => lzwDecode(z.subarray(0, 2))).toThrow(TruncatedInputError);
  });

  it("property: garbage after a valid header never hangs or throws anything but a DecodeError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 9, max: 16 }), fc.boolean(), fc.uint8Array({ maxLength: 3000 }), (bits, block, body) => {
        const input = Buffer.concat([Buffer.from([0x1f, 0x9d, bits | (block ? 0x80 : 0)]), body]);
        try {
          lzwDecode(input, [17]);
        } catch (err) {
          expect(err).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("LZW round trips with the test encoder", () => {
  it("property: random bytes round-trip for every width, with and without CLEAR, any chunking", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.integer({ min: 10, max: 16 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 97 }),
        (bytes, maxBits, clearWhenFull, piece) => {
          const z = lzwEncode(bytes, { maxBits, clearWhenFull });
          expect(lzwDecode(z, [piece]).equals(Buffer.from(bytes))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the test encoder writes what compress -d reads (cross-check on random inputs)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40_000 }), fc.integer({ min: 10, max: 16 }), (bytes, maxBits) => {
        const z = lzwEncode(bytes, { maxBits });
        expect(uncompressCli(z).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 8 },
    );
    // Long enough at 10 bits to fill the table and CLEAR repeatedly.
    const z = lzwEncode(random1M.subarray(0, 300_000), { maxBits: 10 });
    expect(uncompressCli(z).equals(random1M.subarray(0, 300_000))).toBe(true);
  });
});
