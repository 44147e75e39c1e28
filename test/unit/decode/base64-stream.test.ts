import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64DecodedLength, base64Stream, decodeBase64Strict } from "../../../shared/decode/base64-stream.js";
import { AsciiText } from "../../../shared/decode/ascii-text.js";
import { InvalidBase64Error } from "../../../shared/decode/errors.js";

async function collect(value: string | AsciiText, chunkChars: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of base64Stream(value, chunkChars)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe("strict base64", () => {
  it("decodes valid input identically in one piece and in 4-char-aligned slices", async () => {
    const data = randomBytes(10_001);
    const s = data.toString("base64");
    expect(decodeBase64Strict(s).equals(data)).toBe(true);
    for (const chunk of [4, 8, 12, 1000, 4096, 1 << 20]) {
      expect((await collect(s, chunk)).equals(data)).toBe(true);
    }
    expect(base64DecodedLength(s)).toBe(data.length);
  });

  it("handles empty and 1-byte values", async () => {
    expect(decodeBase64Strict("").length).toBe(0);
    expect((await collect("", 8)).length).toBe(0);
    expect(decodeBase64Strict("QQ==")).toEqual(Buffer.from("A"));
    expect(base64DecodedLength("QQ==")).toBe(1);
  });

  it.each([
    ["invalid character", "QUJD*EVG", /invalid character U\+002A at offset 4/],
    ["whitespace", "QUJD\nREVG", /invalid character U\+000A at offset 4/],
    ["url-safe alphabet", "QUJD-_==", /invalid character U\+002D at offset 4/],
    ["missing padding", "QUJDRA", /not a multiple of 4/],
    ["too much padding", "QQ===", /padding/],
    ["three pad chars", "Q===", /misplaced padding/],
    ["padding in the middle", "QQ==QUJD", /misplaced padding '=' at offset 2/],
    ["only padding", "====", /misplaced padding/],
  ])("rejects %s", async (_name, value, message) => {
    expect(() => decodeBase64Strict(value)).toThrow(InvalidBase64Error);
    expect(() => decodeBase64Strict(value)).toThrow(message);
    await expect(collect(value, 4)).rejects.toThrow(InvalidBase64Error);
  });

  it("accepts non-zero pad bits (RFC 4648 §3.5 lets decoders choose) but nothing else non-canonical", async () => {
    expect(decodeBase64Strict("QR==")).toEqual(Buffer.from("A"));
    expect((await collect("QUJDQR==", 4)).toString()).toBe("ABCA");
  });

  it("reports an invalid character in a later slice with its absolute offset", async () => {
    const s = `${Buffer.alloc(3000).toString("base64")}!AAA`;
    await expect(collect(s, 64)).rejects.toThrow(/offset 4000/);
  });

  it("property: random bytes round-trip with any slice size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), async (bytes, chunk) => {
        const s = Buffer.from(bytes).toString("base64");
        expect((await collect(s, chunk)).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it("property: garbage strings either decode exactly as Node would, or fail with InvalidBase64Error", async () => {
    const alphabet = fc.constantFrom(..."ABCxyz019+/=-_ \n*é".split(""));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: alphabet, maxLength: 64 }), async (s) => {
        try {
          const out = await collect(s, 8);
          // Accepted: must be canonical-length strict base64.
          expect(s.length % 4).toBe(0);
          expect(/^[A-Za-z0-9+/]*={0,2}$/.test(s)).toBe(true);
          expect(out.equals(Buffer.from(s, "base64"))).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidBase64Error);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("strict base64 over ASCII bytes (AsciiText, as the decode CLI reads long values)", () => {
  /** Outcome of decoding, streamed and in one piece: the bytes, or the error message (offsets included). */
  async function outcome(value: string | AsciiText, chunk: number): Promise<string> {
    const settle = async (f: () => Promise<Buffer>) =>
      f().then(
        (b) => b.toString("hex"),
        (err: Error) => `error: ${err.message}`,
      );
    const streamed = await settle(() => collect(value, chunk));
    const whole = await settle(async () => decodeBase64Strict(value, chunk));
    return `${streamed} | ${whole}`;
  }

  it("property: the same bytes or the same error (and offset) as from the string, with any slice size", async () => {
    const alphabet = fc.constantFrom(..."ABCxyz019+/=-_*".split(""));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: alphabet, maxLength: 64 }), fc.integer({ min: 1, max: 40 }), async (s, chunk) => {
        const ascii = new AsciiText(Buffer.from(s, "latin1"));
        expect(await outcome(ascii, chunk)).toBe(await outcome(s, chunk));
        expect(base64DecodedLength(ascii)).toBe(base64DecodedLength(s));
      }),
      { numRuns: 1000 },
    );
  });

  it("values longer than one string piece (96 Ki chars): same bytes, and a bad character's offset past the first piece", async () => {
    const data = randomBytes(300_000);
    const s = data.toString("base64");
    const ascii = new AsciiText(Buffer.from(s, "latin1"));
    expect(decodeBase64Strict(ascii).equals(data)).toBe(true);
    expect((await collect(s, 1 << 20)).equals(data)).toBe(true);
    const bad = Buffer.from(s, "latin1");
    bad[200_001] = 0x21; // "!"
    const error = "error: invalid base64: invalid character U+0021 at offset 200001";
    await expect(outcome(new AsciiText(bad), 256 * 1024)).resolves.toBe(`${error} | ${error}`);
  });
});
