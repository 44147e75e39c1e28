/**
 * Decode bench (issues 4 and 18): `aidp-watch decode` against the shell
 * pipeline a user would write instead, end to end, whole processes, on the
 * same task-run output file, in the same run:
 *
 *   ours:     node dist/cli.js decode response.json --out <dir>
 *   pipeline: jq -r '.data[0].value' response.json | base64 -d | <gzip|bzip2|compress> -dc > <file>
 *
 * The response holds one ≥ 50 MB text-like payload (test/support/text-like.ts)
 * compressed by the real tools. The tools (jq, base64, gzip, bzip2, compress)
 * are the ones scripts/ensure-tools.mjs installs for the fixtures.
 *
 * Runs are paired and alternate (ours, pipeline, ours, …) so both see the same
 * machine load; the figures are medians over the pairs, and every sample is
 * recorded. Both outputs are checked byte for byte against the payload.
 *
 * Wall time: spawn to exit of `/usr/bin/time` around the command (the same
 * small overhead on both sides). Peak RSS: GNU time's %M, the largest peak of
 * any single process it waited for: for ours the whole decode (worker threads
 * included, they share the process), for the pipeline its largest stage
 * (the stages run at the same time, so their sum would be the fairer figure,
 * and is not what is measured). /usr/bin/time sits between this bench and the
 * measured process on purpose: a direct child inherits the parent's RSS peak
 * through fork + exec on Linux.
 *
 * Output: bench/results/decode.json. Run: `npm run bench -- decode` (or `npx tsx bench/decode.ts`).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { textLike } from "../test/support/text-like.js";

const SIZE = 50 * 1024 * 1024;
const PAIRS = Number(process.env.DECODE_BENCH_PAIRS ?? 5);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TIME = "/usr/bin/time";

type Codec = "GZIP" | "BZIP2" | "COMPRESS";
const TOOLS: Record<Codec, { encode: [string, string[]]; decode: string }> = {
  GZIP: { encode: ["gzip", ["-c", "-6"]], decode: "gzip -dc" },
  BZIP2: { encode: ["bzip2", ["-c", "-9"]], decode: "bzip2 -dc" },
  COMPRESS: { encode: ["compress", ["-c", "-b16"]], decode: "compress -dc" },
};
const TIME_TARGET = 1.0; // ours / pipeline, wall time
const RSS_TARGET = 2.5; // ours' peak RSS / decoded size

interface Sample {
  seconds: number;
  peakRssBytes: number;
}

function encode(codec: Codec, payload: Buffer): Buffer {
  const [cmd, args] = TOOLS[codec].encode;
  const r = spawnSync(cmd, args, { input: payload, maxBuffer: 1 << 30 });
  if (r.status !== 0 && !(cmd === "compress" && r.status === 2)) throw new Error(`${cmd} failed (${r.status})`);
  return r.stdout;
}

/** Runs argv under GNU time; returns wall seconds and the peak RSS it reports. */
function timed(argv: string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync(TIME, ["-f", "%M", ...argv], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  const kb = Number(r.stderr.trim().split("\n").pop());
  return { seconds, peakRssBytes: kb * 1024 };
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (n: number) => Math.round(n * 1000) / 1000;

function main(): void {
  for (const tool of [TIME, "jq", "base64", "gzip", "bzip2", "compress"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) throw new Error(`${tool} missing: run node scripts/ensure-tools.mjs`);
  }
  const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("build failed");
  const cli = join(ROOT, "dist", "cli.js");

  const dir = mkdtempSync(join(tmpdir(), "aidp-bench-decode-"));
  try {
    const payload = textLike(SIZE, 42);
    const expected = sha256(payload);
    const loadAtStart = round(loadavg()[0]!);
    const results: Record<string, unknown> = {};
    for (const codec of Object.keys(TOOLS) as Codec[]) {
      const compressed = encode(codec, payload);
      const response = join(dir, `response-${codec}.json`);
      writeFileSync(
        response,
        JSON.stringify({
          key: "bench",
          isTruncated: false,
          data: [{ type: "TEXT_PLAIN", isBase64: true, compression: codec, charset: "UTF_8", value: compressed.toString("base64") }],
        }),
      );
      const oursDir = join(dir, `ours-${codec}`);
      const pipeOut = join(dir, `pipeline-${codec}.out`);
      const pipeline = `jq -r '.data[0].value' '${response}' | base64 -d | ${TOOLS[codec].decode} > '${pipeOut}'`;
      const ours: Sample[] = [];
      const pipe: Sample[] = [];
      const load1m: number[] = [];
      for (let i = 0; i < PAIRS; i++) {
        rmSync(oursDir, { recursive: true, force: true });
        load1m.push(round(loadavg()[0]!));
        ours.push(timed([process.execPath, cli, "decode", response, "--out", oursDir]));
        if (sha256(readFileSync(join(oursDir, "0-text_plain.txt"))) !== expected) throw new Error(`${codec}: ours decoded wrong bytes`);
        pipe.push(timed(["sh", "-c", pipeline]));
        if (sha256(readFileSync(pipeOut)) !== expected) throw new Error(`${codec}: the pipeline decoded wrong bytes`);
      }
      const oursSeconds = median(ours.map((s) => s.seconds));
      const pipelineSeconds = median(pipe.map((s) => s.seconds));
      const peakRssBytes = Math.max(...ours.map((s) => s.peakRssBytes));
      const ratio = oursSeconds / pipelineSeconds;
      const rssRatio = peakRssBytes / payload.length;
      results[codec] = {
        payloadBytes: payload.length,
        compressedBytes: compressed.length,
        responseBytes: readFileSync(response).length,
        oursMedianSeconds: round(oursSeconds),
        pipelineMedianSeconds: round(pipelineSeconds),
        oursToPipeline: round(ratio),
        timeTarget: `<= ${TIME_TARGET}x the pipeline`,
        timePass: ratio <= TIME_TARGET,
        oursPeakRssBytes: peakRssBytes,
        oursPeakRssToDecoded: round(rssRatio),
        rssTarget: `<= ${RSS_TARGET}x decoded size`,
        rssPass: rssRatio <= RSS_TARGET,
        pipelineLargestStagePeakRssBytes: Math.max(...pipe.map((s) => s.peakRssBytes)),
        oursSecondsAllRuns: ours.map((s) => round(s.seconds)),
        pipelineSecondsAllRuns: pipe.map((s) => round(s.seconds)),
        oursPeakRssAllRuns: ours.map((s) => s.peakRssBytes),
        loadAverage1mPerPair: load1m,
      };
      process.stderr.write(
        `${codec.padEnd(8)} ours ${oursSeconds.toFixed(2)} s  pipeline ${pipelineSeconds.toFixed(2)} s  ratio ${ratio.toFixed(2)} (target <= ${TIME_TARGET})  ` +
          `peak RSS ${(peakRssBytes / 1e6).toFixed(0)} MB = ${rssRatio.toFixed(2)}x decoded (target <= ${RSS_TARGET})  load ${load1m.join("/")}\n`,
      );
    }
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    const report = {
      bench: "decode",
      date: new Date().toISOString(),
      node: process.version,
      payload: { kind: "deterministic CSV-like text (test/support/text-like.ts, seed 42)", bytes: payload.length },
      method:
        `${PAIRS} paired runs per codec, alternating ours and the pipeline; medians. ours = \`node dist/cli.js decode response.json --out dir\` ` +
        "(read, parse, strict base64, decompress, UTF-8 check, SHA-256, write the file, manifest on stdout); pipeline = " +
        "`jq -r '.data[0].value' response.json | base64 -d | <tool> -dc > file`. Whole processes, wall time including process start. " +
        "Peak RSS from GNU time (%M): ours = the decoding process (worker threads included); pipeline = its largest single stage, not their sum.",
      machine: {
        cpus: cpus().length,
        loadAverage1mAtStart: loadAtStart,
        loadAverage1mAtEnd: round(loadavg()[0]!),
        note: "shared machine: the load average is recorded per pair; ratios from a loaded machine are noisy",
      },
      results,
    };
    writeFileSync(join(ROOT, "bench", "results", "decode.json"), `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write("wrote bench/results/decode.json\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
