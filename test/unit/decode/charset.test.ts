import { describe, expect, it } from "vitest";
import { decodePart } from "../../../shared/decode/decode-part.js";
import { UnsupportedEncodingError } from "../../../shared/decode/errors.js";
import { gzipCli, iconvCli } from "../../support/compressors.js";

const SAMPLE = "Grüße, 世界! 😀 naïve café\nline 2 — done";
const textPart = (bytes: Uint8Array, charset?: string, extra: Record<string, unknown> = {}) =>
  decodePart({ type: "TEXT_PLAIN", isBase64: true, charset, value: Buffer.from(bytes).toString("base64"), ...extra });
const codes = (r: { warnings: { code: string }[] }) => r.warnings.map((w) => w.code);

describe("UTF-16 → UTF-8", () => {
  it("decodes little-endian with a BOM (iconv UTF-16LE + BOM) and removes the BOM once", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconvCli(SAMPLE, "UTF-16LE")]);
    const r = await textPart(bytes, "UTF_16");
    expect(r.data.toString("utf8")).toBe(SAMPLE);
    expect(r.warnings).toEqual([]);
  });

  it("decodes big-endian with a BOM and glibc's own 'UTF-16' output", async () => {
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconvCli(SAMPLE, "UTF-16BE")]);
    expect((await textPart(be, "UTF_16")).data.toString()).toBe(SAMPLE);
    expect((await textPart(iconvCli(SAMPLE, "UTF-16"), "UTF_16")).data.toString()).toBe(SAMPLE);
  });

  it("without a BOM decodes big-endian (RFC 2781) and says so", async () => {
    const r = await textPart(iconvCli(SAMPLE, "UTF-16BE"), "UTF_16");
    expect(r.data.toString()).toBe(SAMPLE);
    expect(codes(r)).toContain("UTF16_NO_BOM");
    // A BOM-less little-endian payload is therefore mis-decoded, visibly flagged, not silently "fixed".
    const le = await textPart(iconvCli("ab", "UTF-16LE"), "UTF_16");
    expect(le.data.toString()).toBe("\u6100\u6200");
  });

  it("keeps a second BOM as content (removed exactly once)", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xfe]), iconvCli("x", "UTF-16LE")]);
    expect((await textPart(bytes, "UTF_16")).data.toString()).toBe("\uFEFFx");
  });

  it("reports an odd byte count and replaces the dangling byte with U+FFFD", async () => {
    const bytes = Buffer.concat([iconvCli("hi", "UTF-16"), Buffer.from([0x41])]);
    const r = await textPart(bytes, "UTF_16");
    expect(r.data.toString()).toBe("hi\uFFFD");
    expect(codes(r)).toContain("UTF16_ODD_LENGTH");
    expect((await textPart(Buffer.from([0x41]), "UTF_16")).data.toString()).toBe("\uFFFD");
  });

  it("reports unpaired surrogates (high alone, low alone, high at the very end)", async () => {
    const units = [0xfeff, 0x61, 0xd83d, 0x62, 0xde00, 0x63, 0xd83d];
    const bytes = Buffer.alloc(units.length * 2);
    units.forEach((u, i) => {
      bytes.writeUInt16BE(u, i * 2);
    });
    const r = await textPart(bytes, "UTF_16");
    expect(r.data.toString()).toBe("a\uFFFDb\uFFFDc\uFFFD");
    const w = r.warnings.find((x) => x.code === "UTF16_UNPAIRED_SURROGATE");
    expect(w?.message).toMatch(/^3 unpaired .* byte offset 4\)/);
  });

  it("keeps surrogate pairs that straddle chunk boundaries intact", async () => {
    const s = "😀".repeat(5000);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconvCli(s, "UTF-16LE")]);
    // base64 slices of 4 chars = 3 bytes: every pair and every code unit gets split somewhere.
    const r = await decodePart(
      { type: "TEXT_PLAIN", isBase64: true, charset: "UTF_16", value: bytes.toString("base64") },
      { base64ChunkChars: 4 },
    );
    expect(r.data.toString()).toBe(s);
    expect(r.warnings).toEqual([]);
  });

  it("transcodes after decompression (gzip of UTF-16)", async () => {
    const r = await textPart(gzipCli(iconvCli(SAMPLE, "UTF-16")), "UTF_16", { compression: "GZIP" });
    expect(r.data.toString()).toBe(SAMPLE);
  });
});

describe("UTF-8", () => {
  it("removes one UTF-8 BOM, also when it is split across chunks", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]);
    for (const chunk of [4, 1024]) {
      const r = await decodePart(
        { type: "APPLICATION_JSON", isBase64: true, charset: "UTF_8", value: bytes.toString("base64") },
        { base64ChunkChars: chunk },
      );
      expect(r.data.toString()).toBe(SAMPLE);
    }
    const twice = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from("x")]);
    expect((await textPart(twice, "UTF_8")).data.toString()).toBe("\uFEFFx");
  });

  it("keeps invalid UTF-8 bytes unchanged and warns; valid multi-byte chars split by chunks don't warn", async () => {
    const bad = Buffer.from([0x61, 0xc3, 0x28, 0x62]);
    const r = await textPart(bad, "UTF_8");
    expect(r.data.equals(bad)).toBe(true);
    expect(codes(r)).toContain("INVALID_UTF8");
    const ok = await decodePart(
      { type: "TEXT_PLAIN", isBase64: true, value: Buffer.from(SAMPLE.repeat(50)).toString("base64") },
      { base64ChunkChars: 4 },
    );
    expect(ok.warnings).toEqual([]);
    const truncatedSeq = await textPart(Buffer.from([0x61, 0xe2, 0x82]), "UTF_8");
    expect(codes(truncatedSeq)).toContain("INVALID_UTF8");
  });

  it("an unknown charset on a text type is a typed error naming it; on a binary type it is ignored", async () => {
    const err = await textPart(Buffer.from("x"), "LATIN_1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedEncodingError);
    expect((err as UnsupportedEncodingError).message).toContain("LATIN_1");
    expect((err as UnsupportedEncodingError).context).toMatchObject({ field: "charset", value: "LATIN_1", partIndex: 0 });
    const png = await decodePart({ type: "IMAGE_PNG", isBase64: true, charset: "LATIN_1", value: "iVBORw0KGgo=" });
    expect(codes(png)).toEqual(["UNKNOWN_CHARSET_IGNORED"]);
  });
});
