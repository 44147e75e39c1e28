/**
 * `npx tsx bench/export.ts [sizeMB…]` (or `npm run bench -- export`): export
 * time and the exporter's peak RSS for one task-run output of 1, 50 and 200 MB
 * (decoded), a GZIP'd CSV-like text part as AIDP sends it, against the local
 * emulator (AIDP + Object Storage in this process). Each export runs in its
 * own child process (bench/export/child.ts) so its peak RSS is the exporter's
 * alone; a 1 KB export gives the baseline (node + tsx + SDK). The child also
 * samples `process.memoryUsage()` and reports the sample with the highest
 * RSS, so the result says what the peak is made of. Writes
 * bench/results/export.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { provisionCredentials } from "../emulator/credentials.js";
import { startEmulator } from "../emulator/server.js";
import { type AidpEmulator, aidpService } from "../emulator/services/aidp/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../emulator/services/object-storage/index.js";
import { gzippedCsvBase64, runExportChild } from "./export/fixtures.js";

const MB = 1024 * 1024;
const mb = (n: number) => Math.round(n / MB);
const PLATFORM = "ocid1.aidataplatform.oc1.iad.bench";
const WS = "ws-bench";
const sizesMb = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizesMb.length > 0 ? sizesMb : [1, 50, 200];

const emu = await startEmulator({ services: [aidpService({ platforms: [PLATFORM] }), objectStorageService({ buckets: ["bench-out"] })] });
const dir = mkdtempSync(join(tmpdir(), "aw-bench-export-"));
try {
  const creds = provisionCredentials(dir, emu.registry);
  const aidp = emu.service<AidpEmulator>("aidp");
  const os = emu.service<ObjectStorageEmulator>("objectstorage");

  async function once(label: string, decodedBytes: number) {
    const { base64, bytes, sha256 } = await gzippedCsvBase64(decodedBytes);
    const { taskRunKeys } = aidp.addJobRun(PLATFORM, WS, {
      jobKey: `bench-${label}`,
      tasks: [
        {
          name: "t",
          output: { data: [{ type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", length: String(bytes), value: base64 }] },
        },
      ],
    });
    emu.stats.reset();
    const r = await runExportChild({
      endpoint: emu.url,
      configFile: creds.configFile,
      namespace: os.namespace,
      bucket: "bench-out",
      platformId: PLATFORM,
      workspaceKey: WS,
      taskRunKey: taskRunKeys[0]!,
    });
    if (r.outcome.status !== "exported") throw new Error(`export of ${label} did not complete: ${JSON.stringify(r.outcome)}`);
    const stored = os.getObject("bench-out", String(r.outcome.manifest).replace(/manifest\.json$/, "000-text_plain.txt"));
    if (stored?.meta.sha256 !== sha256) throw new Error(`archived object of ${label} has the wrong sha256`);
    return {
      label,
      decodedBytes: bytes,
      compressedBytes: Math.floor((base64.length * 3) / 4),
      exportMs: r.ms,
      throughputMBps: Math.round((bytes / MB / (r.ms / 1000)) * 10) / 10,
      peakRssBytes: r.maxRssBytes,
      peakRssMB: Math.round(r.maxRssBytes / MB),
      peakRssPerDecoded: Math.round((r.maxRssBytes / bytes) * 100) / 100,
      atPeakMB: r.atPeak
        ? {
            atMs: r.atPeak.atMs,
            rss: mb(r.atPeak.rss),
            heapUsed: mb(r.atPeak.heapUsed),
            external: mb(r.atPeak.external),
            arrayBuffers: mb(r.atPeak.arrayBuffers),
          }
        : null,
      requests: emu.stats.snapshot(),
    };
  }

  const baseline = await once("baseline-1KB", 1024);
  process.stderr.write(`baseline (1 KB): ${baseline.exportMs} ms, peak RSS ${baseline.peakRssMB} MB\n`);
  const results = [];
  for (const size of SIZES) {
    const r = await once(`${size}MB`, size * MB);
    results.push(r);
    process.stderr.write(
      `${r.label.padEnd(6)} export ${r.exportMs} ms (${r.throughputMBps} MB/s), peak RSS ${r.peakRssMB} MB (baseline ${baseline.peakRssMB} MB; at the peak sample ${JSON.stringify(r.atPeakMB)})\n`,
    );
  }
  mkdirSync(join("bench", "results"), { recursive: true });
  const report = {
    bench: "export",
    date: new Date().toISOString(),
    node: process.version,
    payload: "one TEXT_PLAIN part: CSV-like rows, gzip (level 6), base64, as fetchOutput returns it",
    method:
      "exportTaskRun (getTaskRun → fetchOutput → decode → Object Storage via OciObjectStore → manifest → current.json) in a child process against the in-process emulator; time = the export call; RSS = the child's own peak (VmHWM), including the fetchOutput body held once as bytes (its base64 value kept as AsciiText over them); atPeakMB = process.memoryUsage() at the 20 ms sample with the highest RSS (heapUsed: JS heap; external/arrayBuffers: Buffers such as the body and upload parts)",
    machine: { cpus: cpus().length, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
    baseline,
    results,
  };
  writeFileSync(join("bench", "results", "export.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write("wrote bench/results/export.json\n");
} finally {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
}
