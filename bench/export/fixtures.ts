import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createGzip } from "node:zlib";
import type { ChildArgs, ChildResult } from "./child.js";

/**
 * Shared by the export bench and the large-part integration test: a large,
 * realistic text output (CSV-like rows, ~6–8× gzip ratio, well under the
 * decoder's expansion limit), gzip'd and base64'd as AIDP would send it; and a
 * runner for `child.ts`.
 */
export async function gzippedCsvBase64(bytes: number): Promise<{ base64: string; bytes: number; sha256: string }> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on("end", resolve);
    gzip.on("error", reject);
  });
  const hash = createHash("sha256");
  let written = 0;
  let row = 0;
  while (written < bytes) {
    const lines: string[] = [];
    let size = 0;
    while (size < 1024 * 1024 && written + size < bytes) {
      const line = `${row},${(row * 7919) % 100_003},region-${row % 17},value-${(row * 31) % 9973},${(row % 1000) / 7}\n`;
      lines.push(line);
      size += line.length;
      row++;
    }
    let block = Buffer.from(lines.join(""));
    if (written + block.length > bytes) block = block.subarray(0, bytes - written);
    written += block.length;
    hash.update(block);
    if (!gzip.write(block)) await new Promise<void>((r) => gzip.once("drain", () => r()));
  }
  gzip.end();
  await done;
  return { base64: Buffer.concat(chunks).toString("base64"), bytes: written, sha256: hash.digest("hex") };
}

/** Runs `child.ts` in a fresh Node process (tsx loader) and returns its result. */
export function runExportChild(args: ChildArgs): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", new URL("./child.ts", import.meta.url).pathname, JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(
          new Error(
            `export child exited ${code}: ${
              err
                .split("\n")
                .filter((l) => l.includes("export-child"))
                .join(" ") || err.slice(-500)
            }`,
          ),
        );
        return;
      }
      resolve(JSON.parse(line) as ChildResult);
    });
  });
}
