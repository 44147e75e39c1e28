/**
 * One measurement of bench/decode.ts, in its own process: bench/decode.ts
 * bundles this file with the function bundle's esbuild options and runs it
 * with plain `node` (no tsx), as the function runs bundled code.
 *
 *   node decode-worker.mjs <CODEC|BASELINE> <response.json>
 *   node decode-worker.mjs <ZLIB_GUNZIP|ZLIB_INFLATE> <compressed file>
 *
 * The ZLIB_* modes time node's one-shot `gunzipSync`/`inflateSync` on the raw
 * compressed bytes in the same kind of fresh process (cold allocator, cold
 * JIT), the native reference under the conditions our decode runs in.
 *
 * The input is a task-run output response body (JSON text) holding one part;
 * it is read and parsed like an API response, so the base64 string the decoder
 * starts from is resident for the whole run, as in the function. BASELINE
 * stops there (no decoding): the floor under every RSS figure.
 *
 * Prints one JSON line: decode seconds (from the parsed part to the end of the
 * stream), decoded bytes, RSS before decoding, the peak RSS while loading, the
 * peak RSS while decoding (the peak is reset via /proc/self/clear_refs once the
 * payload is loaded) and the larger of the two.
 *
 * Peaks come from VmHWM in /proc/self/status (Linux), not from
 * `process.resourceUsage().maxRSS`: getrusage's maxrss survives fork + exec, so
 * a child spawned by a big parent reports the parent's RSS as its own peak.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync, inflateSync } from "node:zlib";
import { decodePartToStream } from "../shared/decode/decode-part.js";
import { TaskRunOutputSchema } from "../shared/decode/run-output-schema.js";

const KIB = 1024;

/** VmHWM (peak RSS since start or the last reset) in bytes, or undefined off Linux. */
function peakRss(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * KIB : undefined;
  } catch {
    return undefined;
  }
}

function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

const [mode, file] = process.argv.slice(2);
if (!mode || !file) throw new Error("usage: decode-worker <CODEC|BASELINE|ZLIB_GUNZIP|ZLIB_INFLATE> <file>");

if (mode === "ZLIB_GUNZIP" || mode === "ZLIB_INFLATE") {
  const compressed = readFileSync(file);
  const t0 = performance.now();
  const out = mode === "ZLIB_GUNZIP" ? gunzipSync(compressed) : inflateSync(compressed);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, bytes: out.length })}\n`);
  process.exit(0);
}

const body = readFileSync(file, "utf8");
const output = TaskRunOutputSchema.parse(JSON.parse(body));
const part = output.data?.[0];
if (!part) throw new Error(`${file}: no output part`);

const rssBeforeBytes = process.memoryUsage.rss();
const loadPeakRssBytes = peakRss();
const peakReset = resetPeakRss();
let seconds = 0;
let bytes = 0;
if (mode !== "BASELINE") {
  const t0 = performance.now();
  const { stream, result } = decodePartToStream(part, { limits: { maxDecodedBytes: 1 << 30 } });
  await pipeline(stream, new Writable({ write: (_c, _e, cb) => cb() }));
  bytes = (await result).bytes;
  seconds = (performance.now() - t0) / 1000;
} else {
  bytes = part.value?.length ?? 0;
}
const decodePeakRssBytes = peakReset ? peakRss() : undefined;
if (loadPeakRssBytes === undefined || decodePeakRssBytes === undefined) {
  throw new Error("needs Linux /proc/self/status (VmHWM) and /proc/self/clear_refs to measure peak RSS");
}
process.stdout.write(
  `${JSON.stringify({
    seconds,
    bytes,
    rssBeforeBytes,
    loadPeakRssBytes,
    decodePeakRssBytes,
    lifetimePeakRssBytes: Math.max(loadPeakRssBytes, decodePeakRssBytes),
  })}\n`,
);
