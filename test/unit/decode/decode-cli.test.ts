import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bzip2Cli, compressCli, gzipCli, iconvCli } from "../../support/compressors.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const work = mkdtempSync(join(tmpdir(), "aidp-decode-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "cli/main.ts"), "decode", ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const b64 = (b: Buffer) => b.toString("base64");
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const text = "hello from a notebook\n".repeat(1000);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);
const big = Buffer.alloc(3 * 1024 * 1024, 0x41);
const taskRunOutput = {
  data: [
    { type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", charset: "UTF_8", value: b64(gzipCli(Buffer.from(text))) },
    { type: "IMAGE_PNG", isBase64: true, compression: "BZIP2", length: String(png.length), value: b64(bzip2Cli(png)) },
    { type: "TEXT_HTML", isBase64: true, compression: "GZIP", value: b64(gzipCli(Buffer.from(text)).subarray(0, -10)) }, // truncated
    {
      type: "NOTEBOOK",
      isBase64: true,
      charset: "UTF_16",
      compression: "COMPRESS",
      value: b64(compressCli(iconvCli('{"cells":[]}', "UTF-16"))),
    },
    { type: "APPLICATION_JSON", isBase64: true, value: "e30*" }, // bad base64
    { type: "TEXT_PLAIN", isBase64: true, compression: "ZSTD", value: "" }, // unknown compression
    { value: "no type" }, // schema violation
    { type: "IMAGE_WEBP", isBase64: true, value: b64(png), length: "3" }, // unknown type + length mismatch
    { type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: b64(gzipCli(big)) }, // fine, bigger
  ],
  isTruncated: true,
  taskType: "NOTEBOOK_TASK",
  extraField: "ignored",
};

describe("aidp-watch decode (as a process)", () => {
  it("writes good parts, lists bad ones, prints the manifest, exits 1", () => {
    const input = join(work, "output.json");
    const out = join(work, "out");
    writeFileSync(input, JSON.stringify(taskRunOutput));
    const r = cli([input, "--out", out]);
    expect(r.status).toBe(1);
    const manifest = JSON.parse(r.stdout);
    expect(manifest.isTruncated).toBe(true);
    expect(manifest.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [2, "TRUNCATED_INPUT"],
      [4, "INVALID_BASE64"],
      [5, "UNSUPPORTED_ENCODING"],
      [6, "INVALID_PART"],
    ]);
    const files = manifest.parts.map((p: { file: string | null }) => p.file);
    expect(files).toEqual([
      "0-text_plain.txt",
      "1-image_png.png",
      null,
      "3-notebook.ipynb",
      null,
      null,
      null,
      "7-image_webp.bin",
      "8-text_plain.txt",
    ]);
    // Only whole files exist: no partial file for the truncated part, no temp files left behind.
    expect(readdirSync(out).sort()).toEqual(files.filter(Boolean).sort());
    expect(readFileSync(join(out, "0-text_plain.txt"), "utf8")).toBe(text);
    expect(readFileSync(join(out, "1-image_png.png")).equals(png)).toBe(true);
    expect(readFileSync(join(out, "3-notebook.ipynb"), "utf8")).toBe('{"cells":[]}');
    const p0 = manifest.parts[0];
    expect(p0).toMatchObject({
      index: 0,
      type: "TEXT_PLAIN",
      contentType: "text/plain; charset=utf-8",
      bytes: text.length,
      sha256: sha(Buffer.from(text)),
      warnings: [],
    });
    expect(manifest.parts[1].contentType).toBe("image/png");
    expect(manifest.parts[7].warnings.map((w: { code: string }) => w.code).sort()).toEqual(["LENGTH_MISMATCH", "UNKNOWN_TYPE"]);
    expect(manifest.parts[8].sha256).toBe(sha(big));
    expect(manifest.parts[2].error.code).toBe("TRUNCATED_INPUT");
  });

  it("accepts a single RunOutputData or an array on stdin; exit 0 when all parts decode", () => {
    const out = join(work, "stdin-out");
    const single = cli(["-", "--out", out], JSON.stringify({ type: "TEXT_PLAIN", value: "plain" }));
    expect(single.status).toBe(0);
    expect(JSON.parse(single.stdout)).toMatchObject({
      parts: [{ index: 0, file: "0-text_plain.txt", bytes: 5 }],
      isTruncated: false,
      errors: [],
    });
    const array = cli(
      ["-", "-o", out],
      JSON.stringify([
        { type: "TEXT_PLAIN", value: "a" },
        { type: "FILE_PATH", value: "/x/y.csv" },
      ]),
    );
    expect(array.status).toBe(0);
    expect(readFileSync(join(out, "1-file_path.txt"), "utf8")).toBe("/x/y.csv");
  });

  it("reads stdin redirected from a file from its current offset, as a pipe would deliver it", () => {
    const file = join(work, "redirected.json");
    const prefix = "not part of the input\n";
    writeFileSync(file, prefix + JSON.stringify(taskRunOutput.data[8]));
    const fd = openSync(file, "r");
    try {
      // The child inherits the open file description: its offset is past the prefix, as after `read line < file` in a shell.
      readSync(fd, Buffer.alloc(prefix.length), 0, prefix.length, null);
      const out = join(work, "redirected-out");
      const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "cli/main.ts"), "decode", "-", "--out", out], {
        cwd: ROOT,
        stdio: [fd, "pipe", "pipe"],
        encoding: "utf8",
      });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).parts[0]).toMatchObject({ file: "0-text_plain.txt", bytes: big.length, sha256: sha(big) });
      expect(readFileSync(join(out, "0-text_plain.txt")).equals(big)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it("bad usage: one clear line on stderr, exit 2", () => {
    for (const args of [[], ["x.json"], ["a", "b", "--out", "d"], ["x.json", "--out", "d", "--bogus"]]) {
      const r = cli(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")[0]).toMatch(/^aidp-watch decode: /);
    }
  });

  it("unreadable or non-JSON input: a clear message, exit 1", () => {
    const r = cli(["-", "--out", join(work, "x")], "{not json");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot read input/);
  });
});
