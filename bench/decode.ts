/**
 * Decode throughput bench (issue 4): a deterministic ≥ 50 MB text-like payload
 * is compressed with the real CLIs, then decoded through OUR streaming pipeline
 * starting from the base64 string (as it arrives in the API response) and
 * compared with the native/CLI reference measured in the same run.
 *
 * Each of our measurements runs in a child process (this file with `--worker`)
 * so its peak RSS (`process.resourceUsage().maxRSS`) is its own.
 * Output: bench/results/decode.json. Run: `npx tsx bench/decode.ts`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { deflateSync, gunzipSync, inflateSync } from "node:zlib";
import { decodePartToStream } from "../shared/decode/decode-part.js";
import { textLike } from "../test/support/text-like.js";

const SIZE = 52 * 1024 * 1024;
const RUNS = 3;
const SELF = fileURLToPath(import.meta.url);

type Codec = "GZIP" | "DEFLATE" | "BZIP2" | "COMPRESS";

async function worker(codec: Codec | "BASELINE", file: string): Promise<void> {
  const value = readFileSync(file).toString("base64"); // the API hands us this string
  if (codec === "BASELINE") {
    // Same process shape (tsx, modules, the base64 string), no decoding: the floor under every RSS figure.
    process.stdout.write(`${JSON.stringify({ seconds: 0, bytes: value.length, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    return;
  }
  const t0 = performance.now();
  const { stream, result } = decodePartToStream(
    { type: "TEXT_PLAIN", isBase64: true, compression: codec, charset: "UTF_8", value },
    { limits: { maxDecodedBytes: 1 << 30 } },
  );
  await pipeline(stream, new Writable({ write: (_c, _e, cb) => cb() }));
  const info = await result;
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, bytes: info.bytes, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

function best(fn: () => number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) min = Math.min(min, fn());
  return min;
}

function timeCli(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status})`);
  return (performance.now() - t0) / 1000;
}

function run(cmd: string, args: string[], input: Buffer): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0 && !(cmd === "compress" && r.status === 2)) throw new Error(`${cmd} failed (${r.status})`);
  return r.stdout;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "aidp-bench-decode-"));
  try {
    const payload = textLike(SIZE, 42);
    const mb = payload.length / 1e6;
    const files: Record<Codec, string> = {
      GZIP: join(dir, "p.gz"),
      DEFLATE: join(dir, "p.zlib"),
      BZIP2: join(dir, "p.bz2"),
      COMPRESS: join(dir, "p.Z"),
    };
    writeFileSync(files.GZIP, run("gzip", ["-c", "-6"], payload));
    writeFileSync(files.DEFLATE, deflateSync(payload));
    writeFileSync(files.BZIP2, run("bzip2", ["-c", "-9"], payload));
    writeFileSync(files.COMPRESS, run("compress", ["-c", "-b16"], payload));

    const references: Record<Codec, { name: string; seconds: () => number }> = {
      GZIP: {
        name: "zlib.gunzipSync in-process (one shot)",
        seconds: () => {
          const b = readFileSync(files.GZIP);
          const t0 = performance.now();
          gunzipSync(b);
          return (performance.now() - t0) / 1000;
        },
      },
      DEFLATE: {
        name: "zlib.inflateSync in-process (one shot)",
        seconds: () => {
          const b = readFileSync(files.DEFLATE);
          const t0 = performance.now();
          inflateSync(b);
          return (performance.now() - t0) / 1000;
        },
      },
      BZIP2: { name: "bzip2 -dc (CLI, incl. process start)", seconds: () => timeCli("bzip2", ["-dc", files.BZIP2]) },
      COMPRESS: { name: "compress -dc (CLI, incl. process start)", seconds: () => timeCli("compress", ["-dc", files.COMPRESS]) },
    };
    const targets: Record<Codec, number> = { GZIP: 0.8, DEFLATE: 0.8, BZIP2: 0.4, COMPRESS: 0.4 };

    const results: Record<string, unknown> = {};
    const baseline = spawnSync(process.execPath, ["--import", "tsx", SELF, "--worker", "BASELINE", files.COMPRESS], { encoding: "utf8" });
    const baselineRssBytes = (JSON.parse(baseline.stdout.trim()) as { maxRssKiB: number }).maxRssKiB * 1024;
    for (const codec of Object.keys(files) as Codec[]) {
      const compressedBytes = readFileSync(files[codec]).length;
      const samples = Array.from({ length: RUNS }, () => {
        const r = spawnSync(process.execPath, ["--import", "tsx", SELF, "--worker", codec, files[codec]], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        });
        if (r.status !== 0) throw new Error(`worker ${codec} failed: ${r.stderr}`);
        return JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds: number; bytes: number; maxRssKiB: number };
      });
      if (samples.some((s) => s.bytes !== payload.length)) throw new Error(`${codec}: wrong decoded size`);
      const ours = Math.min(...samples.map((s) => s.seconds));
      const ref = best(references[codec].seconds);
      const peakRssBytes = Math.max(...samples.map((s) => s.maxRssKiB)) * 1024;
      const ratio = ref / ours;
      const rssLimit = 3 * payload.length;
      results[codec] = {
        compressedBytes,
        base64Chars: Math.ceil(compressedBytes / 3) * 4,
        oursSeconds: round(ours),
        oursMBps: round(mb / ours),
        reference: references[codec].name,
        referenceSeconds: round(ref),
        referenceMBps: round(mb / ref),
        ratioToReference: round(ratio),
        target: `>= ${targets[codec]}x reference`,
        throughputPass: ratio >= targets[codec],
        peakRssBytes,
        peakRssAboveBaselineBytes: peakRssBytes - baselineRssBytes,
        peakRssTarget: `< 3x payload (${rssLimit} bytes)`,
        rssPass: peakRssBytes < rssLimit,
      };
      process.stderr.write(
        `${codec.padEnd(8)} ours ${(mb / ours).toFixed(1)} MB/s  ref ${(mb / ref).toFixed(1)} MB/s  ratio ${ratio.toFixed(2)} (target ${targets[codec]})  peak RSS ${(peakRssBytes / 1e6).toFixed(0)} MB\n`,
      );
    }
    mkdirSync(join("bench", "results"), { recursive: true });
    const report = {
      bench: "decode",
      date: new Date().toISOString(),
      node: process.version,
      payload: { kind: "deterministic CSV-like text (test/support/text-like.ts, seed 42)", bytes: payload.length },
      method: `best of ${RUNS}; ours = base64 string → strict base64 slices → codec → UTF-8 check → sha256 → null sink, each run in a child process (time excludes process start; RSS is the child's peak, including the base64 string); MB = 1e6 bytes of decoded output`,
      baselineRssBytes,
      baselineNote: "RSS of the same worker (node + tsx + modules + the largest base64 string) without decoding",
      machine: { cpus: cpus().length, loadAverage1m: round(loadavg()[0]!) },
      results,
    };
    writeFileSync(join("bench", "results", "decode.json"), `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write("wrote bench/results/decode.json\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

const [flag, codecArg, fileArg] = process.argv.slice(2);
if (flag === "--worker") await worker(codecArg as Codec, fileArg!);
else await main();
