import { appendFileSync, closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runDecode } from "../../../cli/commands/decode.js";
import { FileAsciiText } from "../../../shared/decode/ascii-text.js";
import { DecodeError } from "../../../shared/decode/errors.js";
import { parseJsonFileWithLargeStrings } from "../../../shared/decode/large-string-json.js";
import { gzipCli } from "../../support/compressors.js";

// `decode <file>` leaves long values in the file and reads them while decoding (FileAsciiText): a file that
// changes meanwhile must fail its parts, never yield files mixed from two documents.
describe("decode reading long values from its input file", () => {
  const dir = mkdtempSync(join(tmpdir(), "aw-decode-input-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const payload = Buffer.alloc(512 * 1024, "hello, decoded world\n");
  const doc = JSON.stringify({
    data: [{ type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: gzipCli(payload).toString("base64") }],
  });

  async function decode(file: string, out: string, meanwhile: () => void = () => {}) {
    const stdout = new PassThrough();
    let text = "";
    stdout.on("data", (c: Buffer) => (text += c.toString()));
    // runDecode parses the input before its first await: `meanwhile` runs after the parse, before decoding.
    const running = runDecode([file, "--out", out], { stdin: Readable.from([]), stdout, stderr: new PassThrough() });
    meanwhile();
    const code = await running;
    return {
      code,
      manifest: JSON.parse(text) as { parts: Array<{ file: string | null; sha256: string | null }>; errors: Array<{ error: string }> },
    };
  }

  it("decodes a long value straight from the file", async () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, doc);
    const out = join(dir, "ok-out");
    const { code, manifest } = await decode(file, out);
    expect(code).toBe(0);
    expect(readFileSync(join(out, manifest.parts[0]!.file!)).equals(payload)).toBe(true);
  });

  it("a file changed after it was parsed: the part is an error and no output file is left", async () => {
    const file = join(dir, "changed.json");
    writeFileSync(file, doc);
    const out = join(dir, "changed-out");
    const { code, manifest } = await decode(file, out, () => appendFileSync(file, " "));
    expect(code).toBe(1);
    expect(manifest.errors[0]?.error).toMatch(/changed while it was being decoded/);
    expect(manifest.parts[0]?.file).toBeNull();
    expect(readdirSync(out)).toEqual([]);
  });

  it("a file cut short under a FileAsciiText: reading it fails with a DecodeError", () => {
    const file = join(dir, "cut.json");
    writeFileSync(file, doc);
    const fd = openSync(file, "r");
    try {
      const parsed = parseJsonFileWithLargeStrings(fd, 100) as { data: Array<{ value: unknown }> };
      const value = parsed.data[0]!.value as FileAsciiText;
      expect(value).toBeInstanceOf(FileAsciiText);
      truncateSync(file, 200);
      expect(() => value.slice(0, value.length)).toThrow(DecodeError);
    } finally {
      closeSync(fd);
    }
  });
});
