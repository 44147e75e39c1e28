import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodePart } from "../../../shared/decode/decode-part.js";
import { CorruptCompressedDataError, TruncatedInputError } from "../../../shared/decode/errors.js";
import { bzip2Cli, compressCli, deflateRawNode, deflateRawPy, gzipCli, zlibWrappedNode, zlibWrappedPy } from "../../support/compressors.js";
import { textLike } from "../../support/text-like.js";

const bin = (compression: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) =>
  decodePart({ type: "APPLICATION_PDF", isBase64: true, compression, value: Buffer.from(bytes).toString("base64"), ...extra });

const text = textLike(200_000, 3);
const rnd = randomBytes(150_000);

describe("GZIP", () => {
  it("decodes gzip(1) output, including multi-member files (cat a.gz b.gz)", async () => {
    expect((await bin("GZIP", gzipCli(text))).data.equals(text)).toBe(true);
    const multi = Buffer.concat([gzipCli(text), gzipCli(rnd), gzipCli(Buffer.from("tail"))]);
    expect((await bin("GZIP", multi)).data.equals(Buffer.concat([text, rnd, Buffer.from("tail")]))).toBe(true);
  });

  it("reports corrupt and truncated streams with typed errors", async () => {
    const gz = gzipCli(text);
    const corrupt = Buffer.from(gz);
    corrupt[gz.length - 6]! ^= 0xff; // CRC32 trailer
    await expect(bin("GZIP", corrupt)).rejects.toThrow(CorruptCompressedDataError);
    await expect(bin("GZIP", gz.subarray(0, gz.length - 100))).rejects.toThrow(TruncatedInputError);
    await expect(bin("GZIP", Buffer.from("not gzip at all"))).rejects.toThrow(CorruptCompressedDataError);
  });
});

describe("DEFLATE (zlib-wrapped or raw, detected)", () => {
  it.each([
    ["zlib-wrapped (python)", zlibWrappedPy],
    ["raw (python)", deflateRawPy],
    ["zlib-wrapped (node)", zlibWrappedNode],
    ["raw (node)", deflateRawNode],
  ])("decodes %s", async (_name, enc) => {
    for (const data of [text, rnd, Buffer.from("x"), Buffer.alloc(0)]) {
      const r = await bin("DEFLATE", enc(data));
      expect(r.data.equals(data)).toBe(true);
    }
  });

  it("decodes a raw stream whose first bytes happen to pass the zlib header check (retry as raw)", async () => {
    // A raw *stored* block with non-zero padding bits: 0x78 = BFINAL 0, BTYPE 00, padding 01111;
    // 0x78 0x01 passes the RFC 1950 check ((0x78 << 8 | 0x01) % 31 === 0).
    const payload = Buffer.from("stored!");
    const len = payload.length;
    const len2 = 0x01;
    const p2 = Buffer.from("!");
    const first = Buffer.concat([Buffer.from([0x78, len2, 0x00, ~len2 & 0xff, 0xff]), p2]);
    expect(((0x78 << 8) | first[1]!) % 31).toBe(0);
    const last = Buffer.concat([Buffer.from([0x01, len & 0xff, len >> 8, ~len & 0xff, (~len >> 8) & 0xff]), payload]);
    const r = await bin("DEFLATE", Buffer.concat([first, last]));
    expect(r.data.toString()).toBe("!stored!");
  });

  it("decodes a gzip payload mislabelled DEFLATE, with a warning", async () => {
    const r = await bin("DEFLATE", gzipCli(text));
    expect(r.data.equals(text)).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain("DEFLATE_GZIP_WRAPPED");
  });

  it("reports corrupt and truncated streams", async () => {
    const z = zlibWrappedPy(text);
    await expect(bin("DEFLATE", z.subarray(0, z.length - 50))).rejects.toThrow(TruncatedInputError);
    const raw = deflateRawPy(text);
    await expect(bin("DEFLATE", raw.subarray(0, raw.length >> 1))).rejects.toThrow(TruncatedInputError);
    const bad = Buffer.from(z);
    bad[z.length - 1]! ^= 0xff; // adler32
    await expect(bin("DEFLATE", bad)).rejects.toThrow(CorruptCompressedDataError);
    await expect(bin("DEFLATE", Buffer.from([0xff, 0xff, 0xff, 0xff]))).rejects.toThrow(CorruptCompressedDataError);
  });
});

describe("BZIP2", () => {
  it("decodes bzip2(1) output, empty and 1-byte files", async () => {
    for (const data of [text, rnd, Buffer.alloc(0), Buffer.from("z")]) {
      expect((await bin("BZIP2", bzip2Cli(data))).data.equals(data)).toBe(true);
    }
  });

  it("decodes multi-stream files (cat a.bz2 b.bz2), also with different block sizes", async () => {
    const multi = Buffer.concat([bzip2Cli(text, 9), bzip2Cli(rnd, 1), bzip2Cli(Buffer.from("end"), 5)]);
    expect((await bin("BZIP2", multi)).data.equals(Buffer.concat([text, rnd, Buffer.from("end")]))).toBe(true);
  });

  it("reads base64 input slice by slice: same bytes, warnings and errors with tiny slices", async () => {
    const multi = Buffer.concat([bzip2Cli(text, 9), bzip2Cli(rnd, 1), Buffer.alloc(10)]);
    const value = multi.toString("base64");
    for (const base64ChunkChars of [4, 64, 1000]) {
      const r = await decodePart({ type: "APPLICATION_PDF", isBase64: true, compression: "BZIP2", value }, { base64ChunkChars });
      expect(r.data.equals(Buffer.concat([text, rnd]))).toBe(true);
      expect(r.warnings.map((w) => w.code)).toContain("BZIP2_TRAILING_GARBAGE");
      expect(r.sizes.compressedBytes).toBe(multi.length);
    }
    const cut = bzip2Cli(text).subarray(0, 5000).toString("base64");
    await expect(
      decodePart({ type: "TEXT_PLAIN", isBase64: true, compression: "BZIP2", value: cut }, { base64ChunkChars: 64 }),
    ).rejects.toThrow(TruncatedInputError);
    const bad = `${value.slice(0, 4000)}!${value.slice(4001)}`;
    await expect(
      decodePart({ type: "TEXT_PLAIN", isBase64: true, compression: "BZIP2", value: bad }, { base64ChunkChars: 64 }),
    ).rejects.toThrow(/invalid base64: invalid character U\+0021 at offset 4000/);
  });

  it("ignores trailing non-bzip2 bytes after a complete stream, with a warning (as bzip2 -d does)", async () => {
    const r = await bin("BZIP2", Buffer.concat([bzip2Cli(text), Buffer.alloc(100)]));
    expect(r.data.equals(text)).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain("BZIP2_TRAILING_GARBAGE");
  });

  it("reports a bad CRC, bad magic and truncation (also exactly at a block end)", async () => {
    const bz = bzip2Cli(text);
    const bad = Buffer.from(bz);
    bad[200]! ^= 0x10;
    await expect(bin("BZIP2", bad)).rejects.toThrow(CorruptCompressedDataError);
    await expect(bin("BZIP2", Buffer.from("BZx9 nope"))).rejects.toThrow(CorruptCompressedDataError);
    await expect(bin("BZIP2", bz.subarray(0, bz.length - 7))).rejects.toThrow(TruncatedInputError);
    await expect(bin("BZIP2", bz.subarray(0, 40))).rejects.toThrow(/truncated|corrupt/);
  });
});

describe("COMPRESS (.Z) through the pipeline", () => {
  it("decodes and reports corruption", async () => {
    expect((await bin("COMPRESS", compressCli(text))).data.equals(text)).toBe(true);
    expect((await bin("COMPRESS", compressCli(rnd, 12))).data.equals(rnd)).toBe(true);
    await expect(bin("COMPRESS", gzipCli(text))).rejects.toThrow(CorruptCompressedDataError);
  });
});
