import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodePart, decodePartToStream } from "../../../shared/decode/decode-part.js";
import { DecodeLimitError, InvalidBase64Error, InvalidPartError, UnsupportedEncodingError } from "../../../shared/decode/errors.js";
import { RUN_OUTPUT_TYPES } from "../../../shared/decode/run-output-schema.js";
import { bzip2Cli, compressCli, deflateRawPy, gzipCli, iconvCli, zlibWrappedPy } from "../../support/compressors.js";

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]);
const PDF = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(3000)]);
const TEXT = `{"cells": ["Grüße 世界 😀"], "n": ${"1234567890".repeat(300)}}\n`;

const BINARY: Record<string, Buffer> = { IMAGE_PNG: PNG, IMAGE_JPEG: JPEG, APPLICATION_PDF: PDF };
const EXPECTED: Record<string, [string, string]> = {
  TEXT_PLAIN: ["text/plain; charset=utf-8", ".txt"],
  NOTEBOOK: ["application/x-ipynb+json", ".ipynb"],
  TEXT_HTML: ["text/html; charset=utf-8", ".html"],
  IMAGE_PNG: ["image/png", ".png"],
  IMAGE_SVG: ["image/svg+xml", ".svg"],
  IMAGE_JPEG: ["image/jpeg", ".jpg"],
  APPLICATION_PDF: ["application/pdf", ".pdf"],
  APPLICATION_JSON: ["application/json", ".json"],
  FILE_PATH: ["text/plain; charset=utf-8", ".txt"],
  NOTEBOOK_PATH: ["text/plain; charset=utf-8", ".txt"],
};
const CODECS: Record<string, ((b: Buffer) => Buffer) | undefined> = {
  NONE: undefined,
  GZIP: gzipCli,
  DEFLATE: zlibWrappedPy,
  DEFLATE_RAW: deflateRawPy,
  COMPRESS: (b) => compressCli(b, 16),
  BZIP2: bzip2Cli,
};
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const codes = (r: { warnings: { code: string }[] }) => r.warnings.map((w) => w.code);

describe("every type × compression × charset, fixtures from the real tools", () => {
  const cases: [string, string, string][] = [];
  for (const type of RUN_OUTPUT_TYPES) {
    for (const codec of Object.keys(CODECS)) {
      for (const charset of BINARY[type] ? ["(none)"] : ["UTF_8", "UTF_16"]) cases.push([type, codec, charset]);
    }
  }
  it.each(cases)("%s / %s / %s", async (type, codec, charset) => {
    const expected = BINARY[type] ?? Buffer.from(TEXT, "utf8");
    const raw = BINARY[type] ?? (charset === "UTF_16" ? iconvCli(TEXT, "UTF-16") : Buffer.from(TEXT, "utf8"));
    const enc = CODECS[codec];
    const payload = enc ? enc(raw) : raw;
    const r = await decodePart(
      {
        type,
        isBase64: true,
        compression: codec === "NONE" ? undefined : codec.replace("_RAW", ""),
        charset: charset === "(none)" ? undefined : charset,
        length: String(raw.length),
        value: payload.toString("base64"),
      },
      { partIndex: 4 },
    );
    expect(r.data.equals(expected)).toBe(true);
    expect(r.bytes).toBe(expected.length);
    expect(r.sha256).toBe(sha(expected));
    expect([r.contentType, r.extension]).toEqual(EXPECTED[type]);
    expect(r.index).toBe(4);
    expect(r.warnings).toEqual([]);
  });
});

describe("empty and 1-byte payloads", () => {
  it.each(Object.keys(CODECS))("%s: empty and 1 byte, as the tool writes them", async (codec) => {
    const enc = CODECS[codec];
    for (const data of [Buffer.alloc(0), Buffer.from("q")]) {
      const r = await decodePart({
        type: "TEXT_PLAIN",
        isBase64: true,
        compression: codec === "NONE" ? undefined : codec.replace("_RAW", ""),
        value: (enc ? enc(data) : data).toString("base64"),
      });
      expect(r.data.equals(data)).toBe(true);
    }
  });

  it("an empty value with a compression is empty content, with a warning; a missing value is empty", async () => {
    const r = await decodePart({ type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: "" });
    expect(r.bytes).toBe(0);
    expect(codes(r)).toEqual(["EMPTY_COMPRESSED_PAYLOAD"]);
    expect((await decodePart({ type: "TEXT_PLAIN" })).bytes).toBe(0);
  });
});

describe("limits (decompression-bomb guard)", () => {
  const zeros = Buffer.alloc(20 * 1024 * 1024);
  it.each([
    ["GZIP", gzipCli],
    ["DEFLATE", zlibWrappedPy],
    ["BZIP2", bzip2Cli],
    ["COMPRESS", (b: Buffer) => compressCli(b, 16)],
  ])("%s: maxDecodedBytes aborts early with a typed error naming part and limit", async (codec, enc) => {
    const part = { type: "TEXT_PLAIN", isBase64: true, compression: codec, value: enc(zeros).toString("base64") };
    const { stream, result } = decodePartToStream(part, { partIndex: 7, limits: { maxDecodedBytes: 1024 * 1024 } });
    let seen = 0;
    const streamErr = await new Promise<unknown>((resolve) => {
      stream.on("data", (c: Buffer) => {
        seen += c.length;
      });
      stream.on("error", resolve);
      stream.on("end", () => resolve(undefined));
    });
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeLimitError);
    expect(streamErr).toBe(err); // the consumer of the stream sees the same typed error
    expect((err as DecodeLimitError).context).toMatchObject({
      partIndex: 7,
      type: "TEXT_PLAIN",
      compression: codec,
      limit: "maxDecodedBytes",
      limitValue: 1024 * 1024,
    });
    expect(seen).toBeLessThanOrEqual(1024 * 1024); // aborted early: never delivered more than the limit
  });

  it("maxExpansionRatio catches a bomb that is under the size limit", async () => {
    const part = { type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: gzipCli(zeros).toString("base64") };
    const err = await decodePart(part, { limits: { maxExpansionRatio: 100, ratioGraceBytes: 1024 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeLimitError);
    expect((err as DecodeLimitError).context.limit).toBe("maxExpansionRatio");
    // The default limits accept ordinary compressible text.
    const ok = await decodePart({ ...part, value: gzipCli(Buffer.from(TEXT.repeat(100))).toString("base64") });
    expect(ok.bytes).toBe(Buffer.byteLength(TEXT) * 100);
  });

  it("maxDecodedBytes also bounds the final (transcoded) size and uncompressed parts", async () => {
    const err = await decodePart(
      { type: "APPLICATION_PDF", isBase64: true, value: PDF.toString("base64") },
      { limits: { maxDecodedBytes: 100 } },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeLimitError);
  });
});

describe("warnings and typed errors", () => {
  it("length mismatch is a warning, not a failure; an unparseable length is reported too", async () => {
    const base = { type: "TEXT_PLAIN", isBase64: true, value: Buffer.from("hello").toString("base64") };
    const r = await decodePart({ ...base, length: "6" });
    expect(r.data.toString()).toBe("hello");
    expect(codes(r)).toEqual(["LENGTH_MISMATCH"]);
    expect(r.warnings[0]?.message).toMatch(/6 bytes .* 5 bytes/);
    expect(codes(await decodePart({ ...base, length: "5" }))).toEqual([]);
    expect(codes(await decodePart({ ...base, length: "five" }))).toEqual(["LENGTH_UNPARSEABLE"]);
  });

  it("checks PNG/JPEG/PDF magic bytes (warning, bytes kept)", async () => {
    const notPng = Buffer.from("<html>error</html>");
    const r = await decodePart({ type: "IMAGE_PNG", isBase64: true, value: notPng.toString("base64") });
    expect(r.data.equals(notPng)).toBe(true);
    expect(codes(r)).toEqual(["MAGIC_MISMATCH"]);
    expect(r.warnings[0]?.message).toContain("3c 68 74 6d");
    for (const type of ["IMAGE_JPEG", "APPLICATION_PDF"]) {
      expect(codes(await decodePart({ type, isBase64: true, value: PNG.toString("base64") }))).toEqual(["MAGIC_MISMATCH"]);
    }
    expect(codes(await decodePart({ type: "IMAGE_PNG", isBase64: true, value: "" }))).toEqual(["MAGIC_MISMATCH"]);
  });

  it("an unknown type is kept as application/octet-stream with a warning", async () => {
    const r = await decodePart({ type: "IMAGE_WEBP", isBase64: true, value: PNG.toString("base64") });
    expect(r.data.equals(PNG)).toBe(true);
    expect([r.contentType, r.extension]).toEqual(["application/octet-stream", ".bin"]);
    expect(codes(r)).toEqual(["UNKNOWN_TYPE"]);
  });

  it("an unknown compression is a typed error naming it, on the stream and the result", async () => {
    const { stream, result } = decodePartToStream({ type: "TEXT_PLAIN", isBase64: true, compression: "ZSTD", value: "" }, { partIndex: 2 });
    const streamErr = await new Promise((resolve) => stream.on("error", resolve).resume());
    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedEncodingError);
    expect(streamErr).toBe(err);
    expect((err as UnsupportedEncodingError).message).toContain("ZSTD");
    expect((err as UnsupportedEncodingError).context).toMatchObject({ partIndex: 2, field: "compression", value: "ZSTD" });
  });

  it("bad base64 fails the part with InvalidBase64Error carrying part context", async () => {
    for (const value of ["aGVsbG8*", "aGVsbG8"]) {
      const err = await decodePart({ type: "TEXT_PLAIN", isBase64: true, value }, { partIndex: 9 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidBase64Error);
      expect((err as InvalidBase64Error).context.partIndex).toBe(9);
    }
    const bz = await decodePart({ type: "TEXT_PLAIN", isBase64: true, compression: "BZIP2", value: "QlpoOQ=*" }).catch((e: unknown) => e);
    expect(bz).toBeInstanceOf(InvalidBase64Error);
  });
});

describe("non-base64 values", () => {
  it("stores an uncompressed string as UTF-8 (charset is moot: JSON strings are Unicode)", async () => {
    const r = await decodePart({ type: "TEXT_PLAIN", isBase64: false, charset: "UTF_16", value: "Grüße 😀" });
    expect(r.data.toString("utf8")).toBe("Grüße 😀");
    expect(r.warnings).toEqual([]);
    const lone = await decodePart({ type: "TEXT_PLAIN", value: "a\ud800b" });
    expect(codes(lone)).toEqual(["LONE_SURROGATE_IN_VALUE"]);
    expect(codes(await decodePart({ type: "IMAGE_PNG", value: "x" }))).toContain("BINARY_TYPE_AS_TEXT");
  });

  it("reads a compressed non-base64 value as a binary string, and rejects chars above U+00FF", async () => {
    const gz = gzipCli(Buffer.from("binary"));
    const r = await decodePart({ type: "TEXT_PLAIN", compression: "GZIP", value: gz.toString("latin1") });
    expect(r.data.toString()).toBe("binary");
    expect(codes(r)).toEqual(["BINARY_STRING_VALUE"]);
    await expect(decodePart({ type: "TEXT_PLAIN", compression: "GZIP", value: "\u1234" })).rejects.toThrow(InvalidPartError);
  });
});

describe("streaming API", () => {
  it("streams a large part in many chunks and computes sha256 on the way", async () => {
    const big = randomBytes(5 * 1024 * 1024);
    const { stream, result } = decodePartToStream({
      type: "APPLICATION_PDF",
      isBase64: true,
      compression: "GZIP",
      value: gzipCli(Buffer.concat([Buffer.from("%PDF-"), big])).toString("base64"),
    });
    const hash = createHash("sha256");
    let chunks = 0;
    for await (const c of stream) {
      hash.update(c as Buffer);
      chunks++;
    }
    const info = await result;
    expect(chunks).toBeGreaterThan(10);
    expect(info.sha256).toBe(hash.digest("hex"));
    expect(info.bytes).toBe(big.length + 5);
    expect(info.sizes.decompressedBytes).toBe(big.length + 5);
  });
});
