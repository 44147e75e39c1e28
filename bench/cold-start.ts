// Cold start of the function image: for each handler, the time from process
// spawn to the FDK socket being ready and to the first answered call, next to a
// bare FDK hello-world measured in the same run (same machine, same moment,
// runs interleaved so drift hits every variant alike). Target: ≤ 1.6× bare.
//
//   npx tsx bench/cold-start.ts [--runs 11] [--no-build] [--bundle-dir dist] [--compare-dir <dir>] [--node <path>] [--node-arg <arg>]… [--only <regexp>] [--out bench/results/cold-start.json]
//
// Two ways of starting the same code are measured, each from an image-like
// directory with no node_modules:
// - `snapshot`: what the image runs (Dockerfile): `node --snapshot-blob
//   func.blob`, the V8 startup snapshot built here, as in the image, with the
//   same Node that runs it, from dist/snapshot/func-snapshot.cjs;
// - `plain`: `node func.js` (func.js + chunks/ + {"type":"module"}), the
//   split ESM bundle the local stack and the tests run.
// `--node` runs every child (bare FDK included) on another Node binary, e.g.
// a Node 22 like the one OCI Functions runs; `--node-arg` adds an argument to
// every child's node, e.g. to profile (docs/cold-start.md says how), and
// `--only` measures just the variants whose name matches (writes no results).
// Two first calls are measured per handler, each in a fresh process:
// - `trivial`: no AIDP_WATCH_* config, so the adapter answers its
//   configuration error (a 502): process, FDK, config schema; no handler code.
// - `real`: configured like Terraform configures the function (resource
//   principal auth, state bucket, namespace, topic…), pointed at an in-process
//   emulator (AIDP, Object Storage, Notifications), with a real request: poll
//   sweeps one platform with no operations, track registers and checks one
//   running operation, export archives a one-part task-run output. This counts
//   loading the handler, the OCI SDK, auth, signing and the round trips; the
//   second call on the same process (`warmCallMs`) shows what the work alone
//   costs, so `realFirstAnswer - ready - warmCall` is what loading costs.
// Two references: the bare FDK hello-world (`bare-fdk`, what the ratios are
// against) and the same hello-world from a startup snapshot built the same way
// (`bare-fdk-snapshot`: what any user-land snapshot costs by itself). After the
// timed runs, the blobs are started in turn 11 times each with
// `--profile-deserialization`: the sizes of their isolate and context parts and
// V8's time to deserialise them (`deserialisation` in the results;
// docs/cold-start.md reads it).
// `--bundle-dir` measures another build (e.g. one made from an older commit);
// `--compare-dir` measures a second build interleaved with the first, in the
// same run (same moment, same emulator), reported under `compare`.
// Writes bench/results/cold-start.json.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { provisionCredentials } from "../emulator/credentials.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { type AidpEmulator, aidpService } from "../emulator/services/aidp/index.js";
import { notificationsService } from "../emulator/services/notifications/index.js";
import { objectStorageService } from "../emulator/services/object-storage/index.js";
import { functionBuildOptions, lazyNetworkBuiltins, SNAPSHOT_DIR } from "../scripts/build-options.mjs";
import { callFdk } from "../stack/invoker.js";
import { buildSnapshot } from "../stack/snapshot-blob.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_RATIO = 1.6;
const HANDLERS = ["poll", "track", "export"] as const;
type Handler = (typeof HANDLERS)[number];

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "11" },
    "no-build": { type: "boolean", default: false },
    "bundle-dir": { type: "string", default: "dist" },
    "compare-dir": { type: "string" },
    node: { type: "string" },
    "node-arg": { type: "string", multiple: true, default: [] },
    only: { type: "string" },
    out: { type: "string", default: "bench/results/cold-start.json" },
  },
});
const RUNS = Math.max(9, Number(values.runs));
const BUNDLE_DIR = resolve(ROOT, values["bundle-dir"] as string);
const COMPARE_DIR = values["compare-dir"] === undefined ? undefined : resolve(ROOT, values["compare-dir"]);
const OUT = resolve(ROOT, values.out as string);
const NODE = values.node === undefined ? process.execPath : resolve(values.node);
const NODE_ARGS = values["node-arg"] as string[];

// The emulator's world: one platform with no operations (poll), one for the
// running operations track is asked about, a workspace with task runs (export).
const POLL_PLATFORM = "ocid1.aidataplatform.oc1.iad.coldstartpoll";
const TRACK_PLATFORM = "ocid1.aidataplatform.oc1.iad.coldstarttrack";
const EXPORT_PLATFORM = "ocid1.aidataplatform.oc1.iad.coldstartexport";
const WORKSPACE = "ws-cold-start";
const TOPIC = "ocid1.onstopic.oc1.iad.coldstart";
const NAMESPACE = "coldstartns";

interface Sample {
  readyMs: number;
  answerMs: number;
  /** A second call on the same (now warm) process; real variants only. */
  warmCallMs?: number;
  /** The process's peak RSS (VmHWM) after both calls; real variants only. */
  peakRssMb?: number;
  status: number;
  body: string;
}

interface Variant {
  readonly name: string;
  /** The node arguments: a script, or `--snapshot-blob <blob>`. */
  readonly args: readonly string[];
  /** The image directory (cwd). */
  readonly dir: string;
  readonly env: Record<string, string>;
  /** The first call's payload; made fresh per call (a new operation / task run each time). */
  readonly payload: () => unknown;
  /** Whether to time a second call and require 200s. */
  readonly real: boolean;
}

async function sequence<T>(n: number, f: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const round = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

const call = (socketPath: string, payload: unknown) => callFdk(socketPath, payload, { deadlineMs: 30_000 });

/** VmHWM of a live process (Linux), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

async function once(v: Variant): Promise<Sample> {
  // Short path: unix socket paths are limited to ~107 bytes.
  const dir = mkdtempSync(join(tmpdir(), "cs-"));
  const sock = join(dir, "fn.sock");
  const payload = v.payload();
  const t0 = performance.now();
  const child = spawn(NODE, [...NODE_ARGS, ...v.args], {
    cwd: v.dir,
    env: { PATH: process.env.PATH ?? "", FN_FORMAT: "http-stream", FN_LISTENER: `unix:${sock}`, ...v.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Both streams: a crash inside V8 (e.g. a bad snapshot) may print nothing but its signal.
  let stderr = "";
  const collect = (c: Buffer) => {
    stderr += c.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((r) =>
    child.on("exit", (code, signal) => {
      if (signal && signal !== "SIGTERM") stderr += `\n(killed by ${signal})`;
      r(code);
    }),
  );
  try {
    let readyMs = -1;
    while (readyMs < 0) {
      if (existsSync(sock)) readyMs = performance.now() - t0;
      else if (child.exitCode !== null) throw new Error(`${v.name} exited with ${child.exitCode} before listening: ${stderr.slice(0, 500)}`);
      else if (performance.now() - t0 > 15_000) throw new Error(`${v.name}: no socket after 15 s`);
      else await new Promise((r) => setTimeout(r, 0.5));
    }
    const res = await call(sock, payload).catch((err: unknown) => {
      throw new Error(`${v.name}: the first call failed (${String(err)}); stderr: ${stderr.slice(0, 2000)}`);
    });
    const answerMs = performance.now() - t0;
    if (!v.real) return { readyMs, answerMs, status: res.status, body: res.body.slice(0, 300) };
    if (res.status !== 200) throw new Error(`${v.name}: the first real call answered ${res.status}: ${res.body.slice(0, 500)}\n${stderr.slice(0, 1000)}`);
    const t1 = performance.now();
    const second = await call(sock, v.payload());
    const warmCallMs = performance.now() - t1;
    if (second.status !== 200) throw new Error(`${v.name}: the second call answered ${second.status}: ${second.body.slice(0, 500)}`);
    return { readyMs, answerMs, warmCallMs, peakRssMb: peakRssMb(child.pid), status: res.status, body: res.body.slice(0, 300) };
  } finally {
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

interface BundleAnalysis {
  readonly outputs: Array<{ file: string; bytes: number }>;
  readonly topInputs: Array<{ input: string; bytes: number }>;
  readonly topPackages: Array<{ package: string; bytes: number; share: number }>;
  /** Bytes of code each handler's first real call loads: entry, its chunks, the handler's chunks and the SDK chunks it imports on demand. */
  readonly loadedForRealCall: Record<string, number>;
  readonly totalBytes: number;
}

/** The build's metafile (same options as scripts/build.mjs, in memory): what the bytes are, and which chunks each handler loads. */
async function bundleAnalysis(): Promise<BundleAnalysis> {
  const result = await build({ ...functionBuildOptions(join(tmpdir(), "cs-meta")), write: false, metafile: true, sourcemap: false, logLevel: "silent" });
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith(".js"));
  const byPackage = new Map<string, number>();
  const byInput = new Map<string, number>();
  for (const [, info] of outputs) {
    for (const [path, input] of Object.entries(info.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? (m[1] as string) : "(aidp-watch code)";
      byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
      byInput.set(path, (byInput.get(path) ?? 0) + input.bytesInOutput);
    }
  }
  const totalBytes = [...byPackage.values()].reduce((a, b) => a + b, 0);
  const topPackages = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([pkg, bytes]) => ({ package: pkg, bytes, share: round((bytes / totalBytes) * 100) }));
  const topInputs = [...byInput.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([input, bytes]) => ({ input, bytes }));
  return {
    outputs: outputs.map(([file, info]) => ({ file: file.replace(/^.*cs-meta\//, ""), bytes: info.bytes })).sort((a, b) => b.bytes - a.bytes),
    topInputs,
    topPackages,
    loadedForRealCall: loadedBytes(result.metafile),
    totalBytes,
  };
}

/**
 * For each handler: the bytes of every output file its first real call
 * imports — the entry's static imports, the config check's chunk, the
 * handler's chunk and, through dynamic imports, what it loads on the way
 * (oci-objectstorage always; oci-ons only when a message is published, which
 * none of the bench's calls does, so what it adds is listed apart).
 */
function loadedBytes(meta: Metafile): Record<string, number> {
  const outs = meta.outputs;
  const name = (f: string) => f.replace(/^.*cs-meta\//, "");
  const find = (pred: (f: string) => boolean) => Object.keys(outs).filter((f) => f.endsWith(".js") && pred(name(f)));
  const closure = (roots: string[], followDynamic: (f: string) => boolean) => {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
      const f = stack.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const imp of outs[f]?.imports ?? []) {
        if (imp.external) continue;
        if (imp.kind === "import-statement" || (imp.kind === "dynamic-import" && followDynamic(imp.path))) stack.push(imp.path);
      }
    }
    return [...seen].reduce((a, f) => a + (outs[f]?.bytes ?? 0), 0);
  };
  const entry = find((f) => f === "func.js");
  const handlerChunk = (h: Handler) => find((f) => f.startsWith("chunks/handler-")).filter((f) => Object.keys(outs[f]?.inputs ?? {}).some((i) => i.endsWith(`functions/${h}/handler.ts`)));
  const result: Record<string, number> = { entryOnly: closure(entry, () => false) };
  const configCheck = find((f) => f.startsWith("chunks/load-config-"));
  result.trivialCall = closure([...entry, ...configCheck], () => false);
  for (const h of HANDLERS) {
    result[h] = closure([...entry, ...configCheck, ...handlerChunk(h)], (p) => name(p).startsWith("chunks/oci-objectstorage-"));
  }
  // What poll's first publish adds (oci-ons; its other imports are loaded already).
  result.pollFirstPublishAdds = closure([...entry, ...configCheck, ...handlerChunk("poll")], (p) => /^chunks\/oci-(objectstorage|ons)-/.test(name(p))) - (result.poll ?? 0);
  return result;
}

function dirBytes(dir: string): { files: number; bytes: number; gzipBytes: number } {
  let files = 0;
  let bytes = 0;
  let gzipBytes = 0;
  if (!existsSync(dir)) return { files, bytes, gzipBytes };
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".js")) continue;
    const b = readFileSync(join(dir, f));
    files++;
    bytes += b.length;
    gzipBytes += gzipSync(b).length;
  }
  return { files, bytes, gzipBytes };
}

async function startWorld(work: string): Promise<{ emu: Emulator; env: Record<Handler, Record<string, string>> }> {
  const emu = await startEmulator({
    services: [
      aidpService({ platforms: [POLL_PLATFORM, TRACK_PLATFORM, EXPORT_PLATFORM] }),
      objectStorageService({ namespace: NAMESPACE, buckets: ["state", "outputs"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  const creds = provisionCredentials(join(work, "creds"), emu.registry);
  // As infra/locals.tf configures each function (endpoints point at the emulator).
  const common = {
    ...creds.resourcePrincipalEnv,
    AIDP_WATCH_AUTH: "resource_principal",
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_NAMESPACE: NAMESPACE,
  };
  const notify = { AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url, AIDP_WATCH_TOPIC_ID: TOPIC };
  return {
    emu,
    env: {
      poll: { ...common, ...notify, AIDP_WATCH_PLATFORM_IDS: POLL_PLATFORM, FN_FN_NAME: "aidp-watch-poll" },
      track: { ...common, ...notify, AIDP_WATCH_PLATFORM_IDS: TRACK_PLATFORM, FN_FN_NAME: "aidp-watch-track" },
      export: { ...common, AIDP_WATCH_OUTPUT_BUCKET: "outputs", FN_FN_NAME: "aidp-watch-export" },
    },
  };
}

/** The image's /function directory for the plain entry: the bundle, its chunks and {"type":"module"}, no node_modules. */
function plainImage(bundleDir: string, image: string): string {
  mkdirSync(image);
  copyFileSync(join(bundleDir, "func.js"), join(image, "func.js"));
  if (existsSync(join(bundleDir, "chunks"))) cpSync(join(bundleDir, "chunks"), join(image, "chunks"), { recursive: true });
  writeFileSync(join(image, "package.json"), '{"type":"module"}\n');
  return image;
}

/** As the Dockerfile does: the snapshot script and the blob built from it with the Node that will run it. */
async function snapshotImage(bundleDir: string, image: string): Promise<{ dir: string; blob: string; buildMs: number; blobBytes: number }> {
  mkdirSync(image);
  const script = join(image, "func-snapshot.cjs");
  copyFileSync(join(bundleDir, SNAPSHOT_DIR, "func-snapshot.cjs"), script);
  const built = await buildSnapshot({ script, blob: join(image, "func.blob"), node: NODE });
  return { dir: image, blob: built.blob, buildMs: built.buildMs, blobBytes: built.blobBytes };
}

/**
 * The bare FDK hello-world as a startup snapshot, built like the image's
 * (one CommonJS script, lazy network built-ins): the share of the image's
 * start-up that any user-land snapshot pays, whatever it holds.
 */
async function helloSnapshot(dir: string): Promise<{ dir: string; blob: string }> {
  mkdirSync(dir);
  const contents = [
    `const fdk = require(${JSON.stringify(join(ROOT, "node_modules/@fnproject/fdk"))});`,
    'const { startupSnapshot } = require("node:v8");',
    'const start = () => fdk.handle(() => ({ hello: "world" }));',
    "if (startupSnapshot.isBuildingSnapshot()) startupSnapshot.setDeserializeMainFunction(start); else start();",
  ].join("\n");
  const script = join(dir, "hello-snapshot.cjs");
  await build({ stdin: { contents, resolveDir: ROOT, sourcefile: "hello-snapshot.cjs", loader: "js" }, bundle: true, platform: "node", format: "cjs", outfile: script, plugins: [lazyNetworkBuiltins], logLevel: "warning" });
  const built = await buildSnapshot({ script, blob: join(dir, "hello.blob"), node: NODE });
  return { dir, blob: built.blob };
}

/**
 * V8's own account of deserialising each blob (`--profile-deserialization`):
 * the isolate part (strings, source, code) and the context part (the JS
 * objects), their sizes (exact) and times (medians; the blobs take turns, so
 * drift hits each alike). Far steadier than wall-clock start-up on a quiet
 * machine; the sizes are what to compare two builds by on a noisy one.
 */
async function deserialisation(blobs: Readonly<Record<string, string>>, runs: number) {
  const seen = new Map<string, { iso: number[]; ctx: number[]; isolateBytes: number; contextBytes: number }>();
  for (let i = 0; i < runs; i++) {
    for (const [name, blob] of Object.entries(blobs)) {
      const { isolate, context } = await deserialisationProfile(blob);
      const e = seen.get(name) ?? { iso: [], ctx: [], isolateBytes: isolate.bytes, contextBytes: context.bytes };
      e.iso.push(isolate.ms);
      e.ctx.push(context.ms);
      seen.set(name, e);
    }
  }
  return Object.fromEntries(
    [...seen].map(([name, e]) => [
      name,
      {
        isolateBytes: e.isolateBytes,
        contextBytes: e.contextBytes,
        isolateMedianMs: round(median(e.iso)),
        contextMedianMs: round(median(e.ctx)),
        totalMedianMs: round(median(e.iso) + median(e.ctx)),
        blobBytes: statSync(blobs[name] as string).size,
      },
    ]),
  );
}

/** One start of `blob` with `--profile-deserialization`, stopped as soon as V8 has printed both parts (the FDK would serve forever). */
async function deserialisationProfile(blob: string): Promise<{ isolate: { bytes: number; ms: number }; context: { bytes: number; ms: number } }> {
  const dir = mkdtempSync(join(tmpdir(), "cs-d-"));
  const child = spawn(NODE, ["--profile-deserialization", "--snapshot-blob", blob], {
    env: { PATH: process.env.PATH ?? "", FN_FORMAT: "http-stream", FN_LISTENER: `unix:${join(dir, "fn.sock")}`, FN_FN_NAME: "aidp-watch-track" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const part = (label: string) => {
    const m = new RegExp(`Deserializing ${label} \\((\\d+) bytes\\) took ([\\d.]+) ms`).exec(out);
    return m ? { bytes: Number(m[1]), ms: Number(m[2]) } : undefined;
  };
  try {
    return await new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no deserialisation profile from ${blob} within 10 s: ${out.slice(0, 300)}`)), 10_000);
      const collect = (c: Buffer) => {
        out += c.toString();
        const isolate = part("isolate");
        const context = part("context #\\d+");
        if (isolate && context) {
          clearTimeout(timer);
          resolvePromise({ isolate, context });
        }
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${blob} exited (${code}) before printing its deserialisation profile: ${out.slice(0, 300)}`));
      });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

type Summary = ReturnType<typeof summarise>;

function summarise(s: readonly Sample[]) {
  const warm = s.flatMap((x) => (x.warmCallMs === undefined ? [] : [x.warmCallMs]));
  const rss = s.flatMap((x) => (x.peakRssMb === undefined ? [] : [x.peakRssMb]));
  return {
    readyMedianMs: round(median(s.map((x) => x.readyMs))),
    answerMedianMs: round(median(s.map((x) => x.answerMs))),
    readyMinMs: round(Math.min(...s.map((x) => x.readyMs))),
    answerMinMs: round(Math.min(...s.map((x) => x.answerMs))),
    ...(warm.length > 0 ? { warmCallMedianMs: round(median(warm)) } : {}),
    ...(rss.length > 0 ? { peakRssMedianMb: round(median(rss)) } : {}),
    firstAnswer: { status: s[0]?.status, body: s[0]?.body },
  };
}

/** A way of starting the function: its node arguments and directory. */
interface Flavor {
  readonly name: string;
  readonly dir: string;
  readonly args: readonly string[];
}

async function main(): Promise<void> {
  if (!values["no-build"] && BUNDLE_DIR === join(ROOT, "dist")) {
    await new Promise<void>((ok, fail) => {
      const b = spawn(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
      b.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`build failed (${code})`))));
    });
  }
  const bundle = join(BUNDLE_DIR, "func.js");
  if (!existsSync(bundle)) throw new Error(`${bundle} does not exist: build first`);

  const work = mkdtempSync(join(tmpdir(), "cs-image-"));
  const snapshot = await snapshotImage(BUNDLE_DIR, join(work, "snapshot"));
  const flavors: Flavor[] = [
    { name: "snapshot", dir: snapshot.dir, args: ["--snapshot-blob", snapshot.blob] },
    { name: "plain", dir: plainImage(BUNDLE_DIR, join(work, "plain")), args: ["func.js"] },
  ];
  let compareSnapshot: Awaited<ReturnType<typeof snapshotImage>> | undefined;
  if (COMPARE_DIR !== undefined) {
    flavors.push({ name: "compare-plain", dir: plainImage(COMPARE_DIR, join(work, "compare-plain")), args: ["func.js"] });
    if (existsSync(join(COMPARE_DIR, SNAPSHOT_DIR, "func-snapshot.cjs"))) {
      compareSnapshot = await snapshotImage(COMPARE_DIR, join(work, "compare-snapshot"));
      flavors.push({ name: "compare-snapshot", dir: compareSnapshot.dir, args: ["--snapshot-blob", compareSnapshot.blob] });
    }
  }
  // The bare FDK hello-world, requiring the FDK from the project's node_modules.
  const hello = join(work, "hello", "func.cjs");
  mkdirSync(dirname(hello));
  writeFileSync(hello, `const fdk = require(${JSON.stringify(join(ROOT, "node_modules/@fnproject/fdk"))});\nfdk.handle(() => ({ hello: "world" }));\n`);

  const { emu, env } = await startWorld(work);
  const aidp = emu.service<AidpEmulator>("aidp");
  const payloads: Record<Handler, () => unknown> = {
    poll: () => ({}),
    track: () => ({
      aiDataPlatformId: TRACK_PLATFORM,
      asyncOperationKey: aidp.addOperation(TRACK_PLATFORM, { resourceType: "CLUSTER", actionType: "RESTART_CLUSTER", resourceName: "ws.cold" }).key,
    }),
    export: () => {
      const run = aidp.addJobRun(EXPORT_PLATFORM, WORKSPACE, { jobKey: "cold", tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", value: "cold start" }] } }] });
      return { aiDataPlatformId: EXPORT_PLATFORM, workspaceKey: WORKSPACE, taskRunKey: run.taskRunKeys[0] };
    },
  };

  const helloSnap = await helloSnapshot(join(work, "hello-snapshot"));
  const variants: Variant[] = [
    { name: "bare-fdk", dir: dirname(hello), args: [hello], env: { FN_FN_NAME: "hello" }, payload: () => ({}), real: false },
    { name: "bare-fdk-snapshot", dir: helloSnap.dir, args: ["--snapshot-blob", helloSnap.blob], env: { FN_FN_NAME: "hello" }, payload: () => ({}), real: false },
  ];
  for (const f of flavors) {
    for (const h of HANDLERS) {
      variants.push({ name: `${f.name}:${h}`, dir: f.dir, args: f.args, env: { FN_FN_NAME: `aidp-watch-${h}` }, payload: () => ({}), real: false });
      variants.push({ name: `${f.name}:${h}-real`, dir: f.dir, args: f.args, env: env[h], payload: payloads[h], real: true });
    }
  }
  if (values.only !== undefined) {
    const only = new RegExp(values.only);
    const picked = variants.filter((v) => only.test(v.name));
    try {
      for (const v of picked) {
        const runs = await sequence(RUNS, () => once(v));
        console.log(`${v.name.padEnd(24)} ready ${median(runs.map((r) => r.readyMs)).toFixed(1)} ms   answered ${median(runs.map((r) => r.answerMs)).toFixed(1)} ms   warm call ${median(runs.map((r) => r.warmCallMs ?? 0)).toFixed(1)} ms   (medians of ${runs.length})`);
      }
    } finally {
      await emu.close();
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  let deser: Awaited<ReturnType<typeof deserialisation>> = {};
  try {
    for (const v of variants) await once(v); // warm the file cache; not recorded
    for (let i = 0; i < RUNS; i++) {
      for (const v of variants) samples.get(v.name)?.push(await once(v));
    }
    deser = await deserialisation({ bareFdkSnapshot: helloSnap.blob, snapshot: snapshot.blob, ...(compareSnapshot ? { compareSnapshot: compareSnapshot.blob } : {}) }, 11);
  } finally {
    await emu.close();
    rmSync(work, { recursive: true, force: true });
  }

  const bare = summarise(samples.get("bare-fdk") ?? []);
  const bareSnapshot = summarise(samples.get("bare-fdk-snapshot") ?? []);
  const withRatios = (name: string) => {
    const r = summarise(samples.get(name) ?? []);
    return { ...r, ratioReady: ratio(r.readyMedianMs, bare.readyMedianMs), ratioAnswer: ratio(r.answerMedianMs, bare.answerMedianMs) };
  };
  const flavorResult = (flavor: string) => {
    const trivial = Object.fromEntries(HANDLERS.map((h) => [h, withRatios(`${flavor}:${h}`)]));
    const real = Object.fromEntries(
      HANDLERS.map((h) => {
        const r = withRatios(`${flavor}:${h}-real`);
        // The first call minus the same work on the warm process: spawn, loading and initialising — the cold start itself.
        const startupMs = round(r.answerMedianMs - (r.warmCallMedianMs ?? 0));
        return [h, { ...r, loadingMs: round(startupMs - r.readyMedianMs), startupMs, ratioStartup: ratio(startupMs, bare.answerMedianMs) }];
      }),
    );
    const worst = {
      ready: Math.max(...[...Object.values(trivial), ...Object.values(real)].map((h) => h.ratioReady)),
      trivialAnswer: Math.max(...Object.values(trivial).map((h) => h.ratioAnswer)),
      realStartup: Math.max(...Object.values(real).map((h) => h.ratioStartup)),
      realAnswer: Math.max(...Object.values(real).map((h) => h.ratioAnswer)),
    };
    return { trivial, real, worst };
  };
  const results = Object.fromEntries(flavors.map((f) => [f.name, flavorResult(f.name)]));
  const image = results.snapshot as ReturnType<typeof flavorResult>;
  const plain = results.plain as ReturnType<typeof flavorResult>;
  const meets = (x: number) => x <= TARGET_RATIO;

  const funcBytes = readFileSync(bundle);
  const chunks = dirBytes(join(BUNDLE_DIR, "chunks"));
  const snapshotScriptBytes = statSync(join(BUNDLE_DIR, SNAPSHOT_DIR, "func-snapshot.cjs")).size;
  const analysis = BUNDLE_DIR === join(ROOT, "dist") ? await bundleAnalysis() : undefined;

  const slowest = (r: Record<string, { startupMs: number }>) => HANDLERS.reduce((a, b) => ((r[a]?.startupMs ?? 0) >= (r[b]?.startupMs ?? 0) ? a : b));
  const si = slowest(image.real);
  const sp = slowest(plain.real);
  const sir = image.real[si] as (typeof image.real)[string];
  const spr = plain.real[sp] as (typeof plain.real)[string];
  const analysisText = [
    `The image starts from a V8 startup snapshot (${Math.round(snapshot.blobBytes / 1024 / 1024)} MB blob, built in ${Math.round(snapshot.buildMs)} ms): every handler, oci-common, the SDK clients and zod are initialised in it, so a first call only deserialises the heap and runs.`,
    `Snapshot: socket ready ${image.worst.ready}× bare at worst; first call ${image.worst.trivialAnswer}× (configuration-error call) and, for real calls against the emulator, ${image.worst.realStartup}× counting start-up only (first answer minus the same call on the warm process: ${si} ${sir.startupMs} ms = ${sir.readyMedianMs} ms to ready + ${sir.loadingMs} ms first-call loading, against ${bare.answerMedianMs} ms for the bare FDK's first answer) or ${image.worst.realAnswer}× counting the call's own signed round trips too (${sir.answerMedianMs} ms).`,
    `Plain func.js (split ESM bundle, what the local stack runs): ready ${plain.worst.ready}×, configuration-error call ${plain.worst.trivialAnswer}×, real start-up ${plain.worst.realStartup}× (${sp} ${spr.startupMs} ms, of which ${spr.loadingMs} ms is compiling and initialising the handler's chunks, oci-common/sshpk, zod, and node:https with minipass-fetch on first use).`,
    "Why the image takes this trade, the CPU profile of a first call and the experiments tried and dropped: docs/cold-start.md.",
  ].join(" ");

  const result = {
    date: new Date().toISOString(),
    node: spawnSync(NODE, ["--version"], { encoding: "utf8" }).stdout.trim(),
    runs: RUNS,
    targetRatio: TARGET_RATIO,
    bundleDir: values["bundle-dir"],
    scope:
      "Medians over interleaved runs, each a fresh process spawned from an image-like dir with no node_modules: spawn → FDK socket ready → first POST /call answered, next to a bare FDK hello-world. Flavours: `snapshot` = the image's entry (`node --snapshot-blob func.blob`, blob built here as the Dockerfile builds it), `plain` = `node func.js` (split ESM bundle). `trivial`: no config, the adapter's configuration-error answer (502). `real`: configured as Terraform does (resource principal, namespace set), against an in-process emulator: poll sweeps one platform without operations, track registers and checks one running operation, export archives a one-part task-run output; `warmCallMedianMs` is a second such call on the same process, `startupMs` = first answer − warm call (the cold start without the call's own work), `loadingMs` = startupMs − ready, `ratioStartup` = startupMs / bare first answer.",
    bareFdk: bare,
    // The same hello-world from a startup snapshot: what any user-land snapshot costs by itself.
    bareFdkSnapshot: { ...bareSnapshot, ratioReady: ratio(bareSnapshot.readyMedianMs, bare.readyMedianMs), ratioAnswer: ratio(bareSnapshot.answerMedianMs, bare.answerMedianMs) },
    deserialisation: deser,
    image: "snapshot",
    snapshot: { ...image, blobBytes: snapshot.blobBytes, buildMs: snapshot.buildMs },
    plain,
    meetsTarget: {
      ready: meets(image.worst.ready),
      trivialAnswer: meets(image.worst.trivialAnswer),
      realStartup: meets(image.worst.realStartup),
      realAnswerIncludingItsRoundTrips: meets(image.worst.realAnswer),
    },
    bundle: {
      entry: { file: "func.js", bytes: funcBytes.length, gzipBytes: gzipSync(funcBytes).length },
      chunks,
      totalBytes: funcBytes.length + chunks.bytes,
      snapshotScript: { file: `${SNAPSHOT_DIR}/func-snapshot.cjs`, bytes: snapshotScriptBytes },
      snapshotBlobBytes: snapshot.blobBytes,
      sourcemapBytes: existsSync(`${bundle}.map`) ? statSync(`${bundle}.map`).size : null,
      ...(analysis ? { outputs: analysis.outputs, loadedForRealCall: analysis.loadedForRealCall, topInputs: analysis.topInputs, topPackages: analysis.topPackages } : {}),
    },
    analysis: analysisText,
    ...(COMPARE_DIR === undefined
      ? {}
      : {
          compare: {
            bundleDir: values["compare-dir"],
            plain: results["compare-plain"],
            ...(compareSnapshot ? { snapshot: { ...results["compare-snapshot"], blobBytes: compareSnapshot.blobBytes } } : {}),
          },
        }),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  const line = (n: string, r: Summary & { ratioAnswer?: number; ratioStartup?: number }) =>
    `${n.padEnd(24)} ready ${String(r.readyMedianMs).padStart(6)} ms   answered ${String(r.answerMedianMs).padStart(6)} ms${r.ratioAnswer === undefined ? "" : `   ×${r.ratioAnswer}`}${r.warmCallMedianMs === undefined ? "" : `   (warm call ${r.warmCallMedianMs} ms; start-up ×${r.ratioStartup}; peak RSS ${r.peakRssMedianMb} MB)`}`;
  console.log(line("bare-fdk", bare));
  console.log(line("bare-fdk-snapshot", bareSnapshot));
  for (const f of flavors) {
    const r = results[f.name] as ReturnType<typeof flavorResult>;
    for (const h of HANDLERS) console.log(line(`${f.name}:${h}`, r.trivial[h] as Summary));
    for (const h of HANDLERS) console.log(line(`${f.name}:${h}-real`, r.real[h] as Summary));
  }
  for (const [name, d] of Object.entries(deser)) {
    console.log(`deserialising ${name.padEnd(16)} isolate ${(d.isolateBytes / 1e6).toFixed(2)} MB ${d.isolateMedianMs} ms, context ${(d.contextBytes / 1e6).toFixed(2)} MB ${d.contextMedianMs} ms (blob ${(d.blobBytes / 1e6).toFixed(2)} MB)`);
  }
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `snapshot blob ${snapshot.blobBytes} B (built in ${snapshot.buildMs} ms); func.js ${funcBytes.length} B + ${chunks.files} chunks ${chunks.bytes} B; image target ≤ ${TARGET_RATIO}×: ready ${verdict(result.meetsTarget.ready)}, trivial call ${verdict(result.meetsTarget.trivialAnswer)}, real-call start-up ${verdict(result.meetsTarget.realStartup)} → ${OUT}`,
  );
}

await main();
