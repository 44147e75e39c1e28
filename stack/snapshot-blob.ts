import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
// Bundled into the CLI (esbuild inlines JSON), so a CLI bundle anywhere builds with the image's options.
import imageSnapshotConfig from "../deploy/image/snapshot-config.json" with { type: "json" };
import { StackError } from "./stack-error.js";

/**
 * The V8 startup snapshot the image starts from (Dockerfile), built the same
 * way here: `node --snapshot-blob <blob> --build-snapshot-config <config>`
 * with deploy/image/snapshot-config.json's options (the one source) and the
 * builder pointed at the given func-snapshot.cjs. Used by the local stack (so
 * `npm start` runs the image's entry), the tests and the cold-start bench.
 *
 * A blob only loads into the Node build that wrote it, so it is made by the
 * node that will run it (`process.execPath` unless told otherwise), and
 * `ensureSnapshotBlob` rebuilds it whenever the script, the options or the
 * node binary change.
 */

export interface SnapshotBuild {
  readonly blob: string;
  readonly buildMs: number;
  readonly blobBytes: number;
  /** What node printed on stderr while building (empty when all went well). */
  readonly warnings: string;
}

export interface SnapshotOptions {
  /** A func-snapshot.cjs (dist/snapshot/). */
  readonly script: string;
  /** Where to write the blob; its build config is written next to it. */
  readonly blob: string;
  /** The node binary that will load the blob. @default process.execPath */
  readonly node?: string;
}

const run = promisify(execFile);

/** The Dockerfile's snapshot options; `builder` is replaced by the script given. */
function snapshotOptions(): Record<string, unknown> {
  const { builder: _imagePath, ...options } = imageSnapshotConfig;
  return options;
}

export async function buildSnapshot(options: SnapshotOptions): Promise<SnapshotBuild> {
  const node = options.node ?? process.execPath;
  mkdirSync(dirname(options.blob), { recursive: true });
  const config = join(dirname(options.blob), "snapshot-config.json");
  writeFileSync(config, JSON.stringify({ ...snapshotOptions(), builder: resolve(options.script) }));
  const started = performance.now();
  try {
    // Only PATH, as in `docker build`: no developer variable can reach the snapshot's heap.
    const { stderr } = await run(node, ["--snapshot-blob", options.blob, "--build-snapshot-config", config], {
      cwd: dirname(options.blob),
      env: { PATH: process.env.PATH ?? "" },
      maxBuffer: 4 * 1024 * 1024,
    });
    return { blob: options.blob, buildMs: Math.round(performance.now() - started), blobBytes: statSync(options.blob).size, warnings: stderr };
  } catch (cause) {
    const stderr = (cause as { stderr?: unknown }).stderr;
    throw new StackError(`building the startup snapshot from ${options.script} failed${typeof stderr === "string" && stderr ? `: ${stderr.slice(0, 1000)}` : ""}`, {
      cause,
      context: { script: options.script, node },
    });
  }
}

/** The blob for `script` in `dir`, built only when the script, the options or the node binary changed since the last build. */
export async function ensureSnapshotBlob(script: string, dir: string, node = process.execPath): Promise<{ blob: string; built: boolean }> {
  const blob = join(dir, "func.blob");
  const stampFile = `${blob}.stamp`;
  const stamp = createHash("sha256")
    .update(readFileSync(script))
    .update(JSON.stringify(snapshotOptions()))
    // The binary itself stands for its version: a reinstalled or upgraded node has a new mtime.
    .update(`${node}\0${statSync(node).mtimeMs}`)
    .digest("hex");
  if (existsSync(blob) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return { blob, built: false };
  await buildSnapshot({ script, blob, node });
  writeFileSync(stampFile, stamp);
  return { blob, built: true };
}
