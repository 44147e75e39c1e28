// Cold start of the function image (`node func.cjs`, dist/func.cjs + chunks/,
// from a directory without node_modules, as the Dockerfile lays it out), next
// to a bare FDK hello-world measured in the same run. Per handler, each in a
// fresh process:
// - `badConfig`: no AIDP_WATCH_* configuration, so the adapter answers its
//   configuration error (a 502) — the FDK, the app and the config check, no
//   handler code: spawn → socket ready → first answer;
// - `badRequest`: configured, with a request the handler's input validation
//   rejects (a 502) before oci-common and the SDK load;
// - `real`: configured as Terraform configures the function (resource
//   principal, state bucket, namespace, topic…) against an in-process emulator,
//   with a real request: poll sweeps one platform without operations, track
//   registers and checks one running operation, export archives a one-part
//   task-run output. First answer, a second (warm) call on the same process,
//   and the process's peak RSS.
// Targets against the bare FDK: socket ready ≤ 1.3×, first answer to an invalid call ≤ 2.0×.
// Every sample is paired with a bare FDK start just before it, and each round
// starts at another variant, so a noisy moment on a shared machine hits both
// alike; the results are medians (ratios: medians of the paired ratios).
//
//   npx tsx bench/cold-start.ts [--runs 15] [--no-build] [--node <path>] [--out bench/results/cold-start.json]
//
// `--node` runs every child (the bare FDK too) on another Node binary, e.g. the
// Node 22 OCI Functions runs.
import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { provisionCredentials } from "../emulator/credentials.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { type AidpEmulator, aidpService } from "../emulator/services/aidp/index.js";
import { notificationsService } from "../emulator/services/notifications/index.js";
import { objectStorageService } from "../emulator/services/object-storage/index.js";
import { callFdk } from "../stack/invoker.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET = { ready: 1.3, invalidAnswer: 2.0 } as const;
const HANDLERS = ["poll", "track", "export"] as const;
type Handler = (typeof HANDLERS)[number];

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "15" },
    "no-build": { type: "boolean", default: false },
    node: { type: "string" },
    out: { type: "string", default: "bench/results/cold-start.json" },
  },
});
const RUNS = Math.max(5, Number(values.runs));
const NODE = values.node === undefined ? process.execPath : resolve(values.node);
const OUT = resolve(ROOT, values.out as string);

const POLL_PLATFORM = "ocid1.aidataplatform.oc1.iad.coldstartpoll";
const TRACK_PLATFORM = "ocid1.aidataplatform.oc1.iad.coldstarttrack";
const EXPORT_PLATFORM = "ocid1.aidataplatform.oc1.iad.coldstartexport";
const WORKSPACE = "ws-cold-start";
const TOPIC = "ocid1.onstopic.oc1.iad.coldstart";
const NAMESPACE = "coldstartns";

interface Variant {
  readonly name: string;
  readonly dir: string;
  readonly script: string;
  readonly env: Record<string, string>;
  /** The first call's payload, made fresh per process (a new operation / task run each time). */
  readonly payload: () => unknown;
  /** Time a second call (configured against the emulator). */
  readonly real: boolean;
  /** The first answer's status this variant must get, or the bench stops: it would be measuring something else. */
  readonly status: 200 | 502;
}

interface Sample {
  readonly readyMs: number;
  readonly answerMs: number;
  readonly warmCallMs?: number;
  readonly peakRssMb?: number;
  readonly status: number;
  readonly body: string;
}

const round = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** VmHWM of a live process (Linux), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  const kb = pid === undefined ? undefined : /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return kb === undefined ? undefined : round(Number(kb) / 1024);
}

async function once(v: Variant): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "cs-")); // short: unix socket paths are limited to ~107 bytes
  const sock = join(dir, "fn.sock");
  const payload = v.payload();
  const t0 = performance.now();
  const child = spawn(NODE, [v.script], {
    cwd: v.dir,
    env: { PATH: process.env.PATH ?? "", FN_FORMAT: "http-stream", FN_LISTENER: `unix:${sock}`, ...v.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (c: Buffer) => {
    output += c.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise((r) => child.once("exit", r));
  const call = (body: unknown) => callFdk(sock, body, { deadlineMs: 30_000 });
  try {
    let readyMs = -1;
    while (readyMs < 0) {
      if (existsSync(sock)) readyMs = performance.now() - t0;
      else if (child.exitCode !== null) throw new Error(`${v.name} exited (${child.exitCode}) before listening: ${output.slice(0, 500)}`);
      else if (performance.now() - t0 > 15_000) throw new Error(`${v.name}: no socket after 15 s`);
      else await new Promise((r) => setTimeout(r, 0.5));
    }
    const res = await call(payload);
    const answerMs = performance.now() - t0;
    const first = { readyMs, answerMs, status: res.status, body: res.body.slice(0, 300) };
    if (res.status !== v.status)
      throw new Error(
        `${v.name}: the first call answered ${res.status}, not ${v.status}: ${res.body.slice(0, 500)}\n${output.slice(0, 1000)}`,
      );
    if (!v.real) return first;
    const t1 = performance.now();
    const second = await call(v.payload());
    const warmCallMs = performance.now() - t1;
    if (second.status !== 200) throw new Error(`${v.name}: the second call answered ${second.status}: ${second.body.slice(0, 500)}`);
    const rss = peakRssMb(child.pid);
    return { ...first, warmCallMs, ...(rss === undefined ? {} : { peakRssMb: rss }) };
  } finally {
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarise(s: readonly Sample[]) {
  const warm = s.flatMap((x) => (x.warmCallMs === undefined ? [] : [x.warmCallMs]));
  const rss = s.flatMap((x) => (x.peakRssMb === undefined ? [] : [x.peakRssMb]));
  return {
    readyMedianMs: round(median(s.map((x) => x.readyMs))),
    answerMedianMs: round(median(s.map((x) => x.answerMs))),
    ...(warm.length > 0 ? { warmCallMedianMs: round(median(warm)) } : {}),
    ...(rss.length > 0 ? { peakRssMedianMb: round(median(rss)) } : {}),
    firstAnswer: { status: s[0]?.status, body: s[0]?.body },
  };
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
  // As infra/ configures each function, with the endpoints pointing at the emulator.
  const common = {
    ...creds.resourcePrincipalEnv,
    AIDP_WATCH_AUTH: "resource_principal",
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_NAMESPACE: NAMESPACE,
    // One sweep per call: poll and track would otherwise follow a running operation until their deadline.
    AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "0",
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

function jsBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".mjs"))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  if (!values["no-build"]) {
    const b = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
    if (b.status !== 0) throw new Error(`build failed (${b.status})`);
  }
  const work = mkdtempSync(join(tmpdir(), "cs-image-"));
  // The image's /function: func.cjs and its chunks (Dockerfile).
  const image = join(work, "function");
  mkdirSync(image);
  copyFileSync(join(ROOT, "dist/func.cjs"), join(image, "func.cjs"));
  cpSync(join(ROOT, "dist/chunks"), join(image, "chunks"), { recursive: true });
  // The reference: the FDK's hello-world, the FDK required from node_modules.
  const hello = join(work, "hello");
  mkdirSync(hello);
  writeFileSync(
    join(hello, "func.cjs"),
    `require(${JSON.stringify(join(ROOT, "node_modules/@fnproject/fdk"))}).handle(() => ({ hello: "world" }));\n`,
  );

  const { emu, env } = await startWorld(work);
  const aidp = emu.service<AidpEmulator>("aidp");
  const payloads: Record<Handler, () => unknown> = {
    poll: () => ({}),
    track: () => ({
      aiDataPlatformId: TRACK_PLATFORM,
      asyncOperationKey: aidp.addOperation(TRACK_PLATFORM, {
        resourceType: "CLUSTER",
        actionType: "RESTART_CLUSTER",
        resourceName: "ws.cold",
      }).key,
    }),
    export: () => {
      const run = aidp.addJobRun(EXPORT_PLATFORM, WORKSPACE, {
        jobKey: "cold",
        tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", value: "cold start" }] } }],
      });
      return { aiDataPlatformId: EXPORT_PLATFORM, workspaceKey: WORKSPACE, taskRunKey: run.taskRunKeys[0] };
    },
  };
  // Rejected by each handler's input validation (poll reads a body only when it names a shard).
  const badRequests: Record<Handler, unknown> = {
    poll: { shard: 3, of: 2 },
    track: { aiDataPlatformId: "not-an-ocid" },
    export: { aiDataPlatformId: "not-an-ocid" },
  };
  const bareFdk: Variant = {
    name: "bare-fdk",
    dir: hello,
    script: "func.cjs",
    env: { FN_FN_NAME: "hello" },
    payload: () => ({}),
    real: false,
    status: 200,
  };
  const variants: Variant[] = [];
  for (const h of HANDLERS) {
    variants.push({
      name: `${h}:badConfig`,
      dir: image,
      script: "func.cjs",
      env: { FN_FN_NAME: `aidp-watch-${h}` },
      payload: () => ({}),
      real: false,
      status: 502,
    });
    variants.push({
      name: `${h}:badRequest`,
      dir: image,
      script: "func.cjs",
      env: env[h],
      payload: () => badRequests[h],
      real: false,
      status: 502,
    });
    variants.push({ name: `${h}:real`, dir: image, script: "func.cjs", env: env[h], payload: payloads[h], real: true, status: 200 });
  }

  // Each sample of a variant is paired with a bare FDK start just before it, and
  // each round starts at another variant: drift and order hit both alike.
  const samples = new Map<string, Sample[]>([bareFdk, ...variants].map((v) => [v.name, []]));
  const pairs = new Map<string, Array<{ ready: number; answer: number }>>(variants.map((v) => [v.name, []]));
  try {
    for (const v of [bareFdk, ...variants]) await once(v); // warms the file cache; not recorded
    for (let i = 0; i < RUNS; i++) {
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(i + k) % variants.length] as Variant;
        const b = await once(bareFdk);
        const x = await once(v);
        samples.get(bareFdk.name)?.push(b);
        samples.get(v.name)?.push(x);
        pairs.get(v.name)?.push({ ready: x.readyMs / b.readyMs, answer: x.answerMs / b.answerMs });
      }
    }
  } finally {
    await emu.close();
    rmSync(work, { recursive: true, force: true });
  }

  const bare = summarise(samples.get(bareFdk.name) ?? []);
  const measured = (name: string) => {
    const p = pairs.get(name) ?? [];
    return {
      ...summarise(samples.get(name) ?? []),
      ratioReady: round2(median(p.map((x) => x.ready))),
      ratioAnswer: round2(median(p.map((x) => x.answer))),
    };
  };
  const handlers = Object.fromEntries(
    HANDLERS.map((h) => [
      h,
      { badConfig: measured(`${h}:badConfig`), badRequest: measured(`${h}:badRequest`), real: measured(`${h}:real`) },
    ]),
  ) as Record<Handler, Record<"badConfig" | "badRequest" | "real", ReturnType<typeof measured>>>;
  const all = Object.values(handlers);
  const worst = {
    ready: Math.max(...all.flatMap((h) => [h.badConfig.ratioReady, h.badRequest.ratioReady, h.real.ratioReady])),
    invalidAnswer: Math.max(...all.flatMap((h) => [h.badConfig.ratioAnswer, h.badRequest.ratioAnswer])),
  };
  const result = {
    date: new Date().toISOString(),
    node: spawnSync(NODE, ["--version"], { encoding: "utf8" }).stdout.trim(),
    runs: RUNS,
    method:
      "Each sample is a fresh process spawned from an image-like directory without node_modules (func.cjs, chunks/): spawn → FDK socket ready → first POST /call answered. Every sample is paired with a bare FDK hello-world started just before it, and each round starts at another variant (a shared, noisy 2-core machine: drift and order hit both alike). Times are medians over the rounds; ratios are medians of the paired ratios. `badConfig`: no configuration, answered with the configuration error (502) before any handler code loads. `badRequest`: configured, a body the handler's input validation rejects (502) before oci-common and the SDK load. `real`: configured against an in-process emulator; `warmCallMedianMs` is a second call on the same process; peak RSS is the process's VmHWM after both calls.",
    target: TARGET,
    bareFdk: bare,
    handlers,
    worst,
    meetsTarget: { ready: worst.ready <= TARGET.ready, invalidAnswer: worst.invalidAnswer <= TARGET.invalidAnswer },
    bundle: { entryBytes: statSync(join(ROOT, "dist/func.cjs")).size, chunkBytes: jsBytes(join(ROOT, "dist/chunks")) },
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  const line = (name: string, r: ReturnType<typeof summarise> & { ratioReady?: number; ratioAnswer?: number }) =>
    `${name.padEnd(14)} ready ${String(r.readyMedianMs).padStart(6)} ms${r.ratioReady === undefined ? "         " : ` ×${r.ratioReady.toFixed(2)}`}   answered ${String(r.answerMedianMs).padStart(6)} ms${r.ratioAnswer === undefined ? "" : ` ×${r.ratioAnswer.toFixed(2)}`}${r.warmCallMedianMs === undefined ? "" : `   warm call ${r.warmCallMedianMs} ms, peak RSS ${r.peakRssMedianMb} MB`}`;
  console.log(line("bare-fdk", bare));
  for (const h of HANDLERS) {
    console.log(line(`${h}:badConfig`, handlers[h].badConfig));
    console.log(line(`${h}:badRequest`, handlers[h].badRequest));
    console.log(line(`${h}:real`, handlers[h].real));
  }
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `medians of ${RUNS} interleaved rounds; ready ≤ ${TARGET.ready}×: ${verdict(result.meetsTarget.ready)} (${worst.ready}×), invalid answer ≤ ${TARGET.invalidAnswer}×: ${verdict(result.meetsTarget.invalidAnswer)} (${worst.invalidAnswer}×) → ${OUT}`,
  );
}

await main();
