// Builds the V8 startup snapshot the way the Dockerfile does, for the tests and
// the cold-start bench: `node --snapshot-blob <blob> --build-snapshot-config
// <config>`, with deploy/image/snapshot-config.json's options (the one source)
// and the builder pointed at the given script instead of /function/….
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT } from "./build-options.mjs";

export const SNAPSHOT_CONFIG = join(ROOT, "deploy/image/snapshot-config.json");

/**
 * `script`: a func-snapshot.cjs; `blob`: where to write the snapshot (its
 * config is written next to it). `node` must be the binary that will load the
 * blob. The environment is emptied but for PATH, as in `docker build`, so no
 * developer variable can leak into the snapshot's heap.
 */
export function buildSnapshot({ script, blob, node = process.execPath }) {
  const options = JSON.parse(readFileSync(SNAPSHOT_CONFIG, "utf8"));
  const config = join(dirname(blob), "snapshot-config.json");
  writeFileSync(config, JSON.stringify({ ...options, builder: script }));
  const started = performance.now();
  const run = spawnSync(node, ["--snapshot-blob", blob, "--build-snapshot-config", config], {
    cwd: dirname(blob),
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  if (run.status !== 0) throw new Error(`building the startup snapshot failed (exit ${run.status}, ${run.signal ?? "no signal"}): ${run.stderr.slice(0, 2000)}`);
  return { blob, buildMs: Math.round(performance.now() - started), blobBytes: statSync(blob).size, warnings: run.stderr };
}
