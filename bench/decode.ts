/**
 * Decode throughput bench (issue 4): a deterministic ≥ 50 MB text-like payload
 * is compressed with the real CLIs, then decoded through OUR streaming pipeline
 * starting from the base64 string (as it arrives in the API response) and
 * compared with the native/CLI reference measured in the same run.
 *
 * Each of our measurements runs in a fresh process: bench/decode-worker.ts,
 * bundled here with the function bundle's esbuild options and run with plain
 * `node` (the function runs bundled code; tsx is not part of it). The worker
 * reads a task-run output response body (JSON text) and parses it, so the
 * base64 string stays resident, then decodes. A BASELINE worker does the same
 * without decoding: its RSS is the floor (node + bundle + loaded payload).
 * Output: bench/results/decode.json. Run: `npx tsx bench/decode.ts`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync, gunzipSync, inflateSync } from "node:zlib";
import { build } from "esbuild";
import { commonOptions } from "../scripts/build-options.mjs";
import { textLike } from "../test/support/text-like.js";

const SIZE = 52 * 1024 * 1024;
const RUNS = 3;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface WorkerResult {
  seconds: number;
  bytes: number;
  rssBeforeBytes: number;
  loadPeakRssBytes: number;
  decodePeakRssBytes: number;
  lifetimePeakRssBytes: number;
}

type Codec = "GZIP" | "DEFLATE" | "BZIP2" | "COMPRESS";
const targets: Record<Codec, number> = { GZIP: 0.8, DEFLATE: 0.8, BZIP2: 0.4, COMPRESS: 0.4 };

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

function spawnWorker(bundle: string, mode: Codec | "BASELINE" | "ZLIB_GUNZIP" | "ZLIB_INFLATE", file: string): WorkerResult {
  const r = spawnSync(process.execPath, [bundle, mode, file], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`worker ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as WorkerResult;
}

/** The task-run output response body the function would receive for this payload. */
function responseBody(codec: Codec, compressed: Buffer): string {
  return JSON.stringify({
    key: "bench",
    isTruncated: false,
    data: [{ type: "TEXT_PLAIN", isBase64: true, compression: codec, charset: "UTF_8", value: compressed.toString("base64") }],
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "aidp-bench-decode-"));
  try {
    const bundle = join(dir, "decode-worker.mjs");
    await build({ ...commonOptions, sourcemap: false, entryPoints: [join(ROOT, "bench", "decode-worker.ts")], outfile: bundle });

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

    // zlib: one-shot gunzipSync/inflateSync in a fresh process (like ours: cold allocator and JIT, one decode per
    // process); the warm in-process figure (the old method) is reported next to it.
    const zlibFresh = (mode: "ZLIB_GUNZIP" | "ZLIB_INFLATE", file: string) => () => {
      const r = spawnWorker(bundle, mode, file);
      if (r.bytes !== payload.length) throw new Error(`${mode}: wrong decoded size`);
      return r.seconds;
    };
    const zlibWarm = (fn: (b: Buffer) => Buffer, file: string) => () => {
      const b = readFileSync(file);
      const t0 = performance.now();
      fn(b);
      return (performance.now() - t0) / 1000;
    };
    const warmReferences: Partial<Record<Codec, { name: string; seconds: () => number }>> = {
      GZIP: { name: "zlib.gunzipSync in-process, warm (one shot, best of runs in the bench process)", seconds: zlibWarm(gunzipSync, files.GZIP) },
      DEFLATE: { name: "zlib.inflateSync in-process, warm (one shot, best of runs in the bench process)", seconds: zlibWarm(inflateSync, files.DEFLATE) },
    };
    const references: Record<Codec, { name: string; seconds: () => number }> = {
      GZIP: { name: "zlib.gunzipSync (one shot) in a fresh node process", seconds: zlibFresh("ZLIB_GUNZIP", files.GZIP) },
      DEFLATE: { name: "zlib.inflateSync (one shot) in a fresh node process", seconds: zlibFresh("ZLIB_INFLATE", files.DEFLATE) },
      BZIP2: { name: "bzip2 -dc (CLI, incl. process start)", seconds: () => timeCli("bzip2", ["-dc", files.BZIP2]) },
      COMPRESS: { name: "compress -dc (CLI, incl. process start)", seconds: () => timeCli("compress", ["-dc", files.COMPRESS]) },
    };
    const rssLimit = 3 * payload.length;
    const loadAtStart = round(loadavg()[0]!);

    const results: Record<string, unknown> = {};
    for (const codec of Object.keys(files) as Codec[]) {
      const compressed = readFileSync(files[codec]);
      const response = join(dir, `response-${codec}.json`);
      writeFileSync(response, responseBody(codec, compressed));
      const loadAverage1m = round(loadavg()[0]!);
      const baselines = Array.from({ length: RUNS }, () => spawnWorker(bundle, "BASELINE", response));
      const samples = Array.from({ length: RUNS }, () => spawnWorker(bundle, codec, response));
      if (samples.some((s) => s.bytes !== payload.length)) throw new Error(`${codec}: wrong decoded size`);
      const ours = Math.min(...samples.map((s) => s.seconds));
      const ref = best(references[codec].seconds);
      const ratio = ref / ours;
      const warm = warmReferences[codec];
      const warmRef = warm ? best(warm.seconds) : undefined;
      const peakRssBytes = Math.max(...samples.map((s) => s.lifetimePeakRssBytes));
      const baselineRssBytes = Math.max(...baselines.map((s) => s.lifetimePeakRssBytes));
      const decodePhasePeakRssBytes = Math.max(...samples.map((s) => s.decodePeakRssBytes));
      const rssBeforeDecodeBytes = Math.max(...samples.map((s) => s.rssBeforeBytes));
      const throughputPass = ratio >= targets[codec];
      const rssPass = peakRssBytes < rssLimit;
      results[codec] = {
        payloadBytes: payload.length,
        compressedBytes: compressed.length,
        base64Chars: Math.ceil(compressed.length / 3) * 4,
        oursSeconds: round(ours),
        oursMBps: round(mb / ours),
        oursSecondsAllRuns: samples.map((s) => round(s.seconds)),
        reference: references[codec].name,
        referenceSeconds: round(ref),
        referenceMBps: round(mb / ref),
        ratioToReference: round(ratio),
        ...(warm && warmRef !== undefined
          ? { warmReference: warm.name, warmReferenceMBps: round(mb / warmRef), ratioToWarmReference: round(warmRef / ours) }
          : {}),
        target: `>= ${targets[codec]}x reference`,
        throughputPass,
        peakRssBytes,
        baselineRssBytes,
        peakRssAboveBaselineBytes: peakRssBytes - baselineRssBytes,
        rssBeforeDecodeBytes,
        decodePhasePeakRssBytes,
        decodeCostRssBytes: decodePhasePeakRssBytes - rssBeforeDecodeBytes,
        peakRssTarget: `< 3x payload (${rssLimit} bytes)`,
        rssPass,
        loadAverage1m,
        note: note(codec, throughputPass, rssPass, warmRef === undefined ? undefined : warmRef / ours),
      };
      process.stderr.write(
        `${codec.padEnd(8)} ours ${(mb / ours).toFixed(1)} MB/s  ref ${(mb / ref).toFixed(1)} MB/s  ratio ${ratio.toFixed(2)} (target ${targets[codec]})  ` +
          `peak RSS ${(peakRssBytes / 1e6).toFixed(0)} MB (baseline ${(baselineRssBytes / 1e6).toFixed(0)} MB, decoding +${((decodePhasePeakRssBytes - rssBeforeDecodeBytes) / 1e6).toFixed(0)} MB)  load ${loadAverage1m}\n`,
      );
    }
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    const report = {
      bench: "decode",
      date: new Date().toISOString(),
      node: process.version,
      payload: { kind: "deterministic CSV-like text (test/support/text-like.ts, seed 42)", bytes: payload.length },
      method:
        `best of ${RUNS} fresh processes per codec; ours = task-run output JSON text → JSON.parse + zod → base64 string → strict base64 slices → codec → UTF-8 check → sha256 → null sink. ` +
        "The worker (bench/decode-worker.ts) is bundled with the function bundle's esbuild options and run with plain node; time counts from the parsed part to the end of the stream (excludes process start, loading and parsing; includes JIT warm-up, as each process decodes once). " +
        "MB = 1e6 bytes of decoded output. References are measured in the same run: zlib one-shot in a fresh node process timed the same way (the warm in-process figure is reported too); the CLIs including their process start.",
      rssFields: {
        peakRssBytes: "peak RSS of the decoding process over its life (VmHWM; max over runs): node + bundle + response text + parsed base64 string + decoding; the pass/fail figure",
        baselineRssBytes: "peak RSS of the same worker that loads and parses the same response but does not decode (max over runs)",
        rssBeforeDecodeBytes: "RSS once the part is parsed, right before decoding starts",
        decodePhasePeakRssBytes: "peak RSS while decoding (Linux VmHWM, reset via /proc/self/clear_refs after loading)",
        decodeCostRssBytes: "decodePhasePeakRssBytes - rssBeforeDecodeBytes: what decoding itself adds",
      },
      machine: { cpus: cpus().length, loadAverage1mAtStart: loadAtStart, loadAverage1mAtEnd: round(loadavg()[0]!) },
      results,
    };
    writeFileSync(join(ROOT, "bench", "results", "decode.json"), `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write("wrote bench/results/decode.json\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What is still missing for a codec, and why (filled in from the measured outcome, not assumed). */
function note(codec: Codec, throughputPass: boolean, rssPass: boolean, warmRatio?: number): string {
  const misses: string[] = [];
  if (warmRatio !== undefined && warmRatio < targets[codec]) {
    misses.push(
      `against warm in-process zlib (the earlier reference) the ratio is ${warmRatio.toFixed(2)}, below ${targets[codec]}: ours is measured cold (one decode per fresh process, like a function invocation), so the pass/fail reference is zlib measured the same way`,
    );
  }
  if (!throughputPass) {
    misses.push(
      codec === "BZIP2"
        ? "throughput below target: seek-bzip is pure JS"
        : codec === "COMPRESS"
          ? "throughput below target: own pure-JS LZW decoder"
          : "throughput below target: streaming inflate (thread pool, 128 KiB chunks) plus base64/UTF-8/sha256 stages versus one-shot inflate alone",
    );
  }
  if (!rssPass) {
    misses.push(
      "peak RSS above 3x payload: the baseline already holds the response text and the parsed base64 string; decoding adds output buffers that are garbage until V8 collects them (its external-memory trigger), not a live working set",
    );
  }
  if (throughputPass && rssPass) misses.unshift("targets met in this run");
  return misses.join("; ");
}

const round = (n: number) => Math.round(n * 1000) / 1000;

await main();
