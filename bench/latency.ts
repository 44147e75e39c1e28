// Latency from an operation's terminal state to its ONS publish, on the real
// clock, through the functions as deployed: `dist/func.cjs` under the real FDK
// (one process per container), against the in-process emulator.
//
// - poll path: a scheduler invokes `poll` every --tick seconds with an
//   Fn-Deadline of one tick + the 5 s deadline reserve (the detached timeout
//   Terraform sets: the work deadline falls on the next tick), overlapping
//   allowed, on two containers; operations on
//   platform A start at random moments and end at random moments over several
//   minutes; only the sweep loop (AIDP_WATCH_SWEEP_INTERVAL_SECONDS, default
//   10) sees them end.
// - track path: three "Events" workers each start an operation on platform B
//   (not swept) and invoke `track` for it (Fn-Deadline 120 s, the Terraform
//   default), which follows it until it ends.
// - idle: afterwards, with nothing in progress, a few `poll` invocations:
//   sweeps and AIDP calls per invocation, the cost of an idle platform per tick.
//
// Latency = ONS accepting the message (the emulator's clock, in this process)
// − the operation's timeFinished. Calls per service come from the functions'
// own answers (`calls`) and the emulator's request counts.
//
//   npx tsx bench/latency.ts [--minutes 5] [--tick 60] [--interval 10]
//
// Writes bench/results/latency.json.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { provisionCredentials } from "../emulator/credentials.js";
import { startEmulator } from "../emulator/server.js";
import { type AidpEmulator, aidpService } from "../emulator/services/aidp/index.js";
import { type NotificationsEmulator, notificationsService } from "../emulator/services/notifications/index.js";
import { objectStorageService } from "../emulator/services/object-storage/index.js";
import { callFdk } from "../stack/invoker.js";
import { Scheduler } from "../stack/scheduler.js";
import { announcedKeysOf } from "../test/support/announced-keys.js";
import { type FdkFunction, startFdkFunction } from "../test/support/fdk-function.js";
import { seededRandom } from "../test/support/seeded-random.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    tick: { type: "string", default: "60" },
    interval: { type: "string", default: "10" },
    seed: { type: "string", default: "20" },
  },
});
const RUN_MS = Number(values.minutes) * 60_000;
const TICK_MS = Number(values.tick) * 1000;
const INTERVAL_S = Number(values.interval);
const RESERVE_MS = 5000;
// As infra/ sizes poll's detached timeout: the schedule period + the reserve.
const POLL_DEADLINE_MS = TICK_MS + RESERVE_MS;
const TRACK_DEADLINE_MS = 120_000;
const POLL_OPS = 40;
const TRACK_WORKERS = 3;
const PLATFORM_A = "ocid1.aidataplatform.oc1.iad.latencypoll";
const PLATFORM_B = "ocid1.aidataplatform.oc1.iad.latencytrack";
const TOPIC = "ocid1.onstopic.oc1.iad.latencytopic";
const random = seededRandom(Number(values.seed));
const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

type Calls = { aidp: number; objectStorage: number; notifications: number };
const addCalls = (a: Calls, b: Partial<Calls> | undefined) => {
  a.aidp += b?.aidp ?? 0;
  a.objectStorage += b?.objectStorage ?? 0;
  a.notifications += b?.notifications ?? 0;
};

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? 0;
  return {
    n: s.length,
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    maxMs: s[s.length - 1] ?? 0,
    meanMs: Math.round(s.reduce((n, x) => n + x, 0) / Math.max(1, s.length)),
  };
}

const emu = await startEmulator({
  services: [
    aidpService({ platforms: [PLATFORM_A, PLATFORM_B] }),
    objectStorageService({ namespace: "latns", buckets: ["state"] }),
    notificationsService({ topics: [TOPIC] }),
  ],
});
const dir = mkdtempSync(join(tmpdir(), "aw-latency-"));
const aidp = emu.service<AidpEmulator>("aidp");
const ons = emu.service<NotificationsEmulator>("notifications");
const functions: FdkFunction[] = [];
try {
  const creds = provisionCredentials(dir, emu.registry);
  const env = {
    ...creds.resourcePrincipalEnv,
    AIDP_WATCH_AUTH: "resource_principal",
    AIDP_WATCH_PLATFORM_IDS: PLATFORM_A,
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url,
    AIDP_WATCH_NAMESPACE: "latns",
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_TOPIC_ID: TOPIC,
    AIDP_WATCH_SWEEP_INTERVAL_SECONDS: String(INTERVAL_S),
    AIDP_WATCH_DEADLINE_RESERVE_MS: String(RESERVE_MS),
  };
  const start = (name: string) =>
    startFdkFunction({ args: [join(ROOT, "dist", "func.cjs")], cwd: ROOT, env: { FN_FN_NAME: `aidp-watch-${name}`, ...env } });
  const pollFns = await Promise.all([start("poll"), start("poll")]);
  const trackFns = await Promise.all(Array.from({ length: TRACK_WORKERS }, () => start("track")));
  functions.push(...pollFns, ...trackFns);

  // When each operation ended (emulator clock = this process's clock) and when ONS took its message.
  const finishedAt = new Map<string, { at: number; path: "poll" | "track"; startedMs: number; durationMs: number }>();
  const publishedAt = new Map<string, number>();
  ons.onMessage((m) => {
    for (const k of announcedKeysOf([m.body])) {
      const key = k.split("/")[1]!;
      if (!publishedAt.has(key)) publishedAt.set(key, Date.now());
    }
  });
  let t0 = Date.now();
  const addOp = (platformId: string, durationMs: number, path: "poll" | "track", i: number) => {
    const now = Date.now();
    const { key } = aidp.addOperation(platformId, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: `lat.${path}.t${i}`,
      timeStarted: now,
      durationMs,
      finalStatus: i % 5 === 0 ? "FAILED" : "SUCCEEDED",
    });
    finishedAt.set(key, { at: now + durationMs, path, startedMs: now - t0, durationMs });
    return key;
  };

  t0 = Date.now();
  const endAt = t0 + RUN_MS;
  const pollCalls: Calls = { aidp: 0, objectStorage: 0, notifications: 0 };
  const pollInvocations: Array<{ tick: number; sweeps: number; loopExit: string; durationMs: number; published: number; failed: number }> =
    [];
  let pollFailures = 0;

  // The schedule: ticks every TICK_MS (a real OCI schedule may overlap: allowed).
  const scheduler = new Scheduler({
    intervalMs: TICK_MS,
    allowOverlap: true,
    invoke: async (tick) => {
      const res = await callFdk(pollFns[tick % pollFns.length]!.socket, {}, { deadlineMs: POLL_DEADLINE_MS });
      if (res.status !== 200) throw new Error(`poll answered ${res.status}: ${res.body.slice(0, 200)}`);
      return {
        tick,
        ...res.json<{ sweeps: number; loopExit: string; durationMs: number; published: number; failed: number; calls: Calls }>(),
      };
    },
    onResult: (r) => {
      addCalls(pollCalls, r.calls);
      pollInvocations.push({
        tick: r.tick,
        sweeps: r.sweeps,
        loopExit: r.loopExit,
        durationMs: r.durationMs,
        published: r.published,
        failed: r.failed,
      });
    },
    onError: () => {
      pollFailures++;
    },
  });
  scheduler.start();

  // Poll path: operations start over the first ~45 % of the run and last 5–90 s.
  const startsWindow = Math.max(30_000, RUN_MS * 0.45);
  const pollStarts = Array.from({ length: POLL_OPS }, (_, i) => ({
    i,
    atMs: between(2_000, startsWindow),
    durationMs: between(5_000, 90_000),
  }));
  const pollStarter = Promise.all(
    pollStarts.map(async (s) => {
      await sleep(t0 + s.atMs - Date.now());
      addOp(PLATFORM_A, s.durationMs, "poll", s.i);
    }),
  );

  // Track path: each worker starts an operation, delivers it to track (as an
  // Events rule would) and waits for the call, until the last minute of the run.
  const trackCalls: Calls = { aidp: 0, objectStorage: 0, notifications: 0 };
  const trackAnswers: Array<{ checks: number; published: number; status: string | undefined }> = [];
  let trackFailures = 0;
  let trackSeq = 0;
  const trackWorkers = trackFns.map(async (fn) => {
    await sleep(between(0, 5_000));
    while (Date.now() < endAt - 75_000) {
      const key = addOp(PLATFORM_B, between(3_000, 60_000), "track", trackSeq++);
      const res = await callFdk(fn.socket, { aiDataPlatformId: PLATFORM_B, asyncOperationKey: key }, { deadlineMs: TRACK_DEADLINE_MS });
      if (res.status !== 200) {
        trackFailures++;
        continue;
      }
      const a = res.json<{ checks: number; published: number; calls: Calls; operations: Array<{ status?: string }> }>();
      addCalls(trackCalls, a.calls);
      trackAnswers.push({ checks: a.checks, published: a.published, status: a.operations[0]?.status });
      await sleep(between(0, 5_000));
    }
  });

  await Promise.all([pollStarter, ...trackWorkers]);
  // Let the last poll operations end and be announced (the run's end, or up to
  // two minutes more for a short run), so the idle phase below is idle.
  const pollKeys = () => [...finishedAt].filter(([, f]) => f.path === "poll").map(([k]) => k);
  while (Date.now() < endAt + 120_000 && pollKeys().some((k) => !publishedAt.has(k))) await sleep(1000);
  await scheduler.stop();

  // Idle: nothing in progress any more; what one scheduled poll costs. A
  // first call settles what the run left (an operation announced late).
  await callFdk(pollFns[0]!.socket, {}, { deadlineMs: TICK_MS });
  const idle: Array<{ sweeps: number; loopExit: string; durationMs: number; calls: Calls; wallMs: number }> = [];
  for (let i = 0; i < 3; i++) {
    const w0 = Date.now();
    const res = await callFdk(pollFns[0]!.socket, {}, { deadlineMs: TICK_MS });
    idle.push({ ...res.json<{ sweeps: number; loopExit: string; durationMs: number; calls: Calls }>(), wallMs: Date.now() - w0 });
  }

  const latencies = (path: "poll" | "track") =>
    [...finishedAt].flatMap(([k, f]) => {
      const p = publishedAt.get(k);
      return f.path !== path || p === undefined ? [] : [p - f.at];
    });
  const unannounced = (path: "poll" | "track") =>
    [...finishedAt].filter(([k, f]) => f.path === path && f.at < Date.now() && !publishedAt.has(k)).map(([k]) => k);
  const emuStats = emu.stats.snapshot();
  const byService = (prefix: string) =>
    Object.entries(emuStats)
      .filter(([k]) => k.startsWith(prefix))
      .reduce((n, [, v]) => n + v, 0);
  const idleAidp = idle.map((r) => r.calls.aidp);
  const ticksPerHourAt5Min = 12;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    machine: "shared 2-core machine, loaded by other work (wall times are pessimistic)",
    settings: {
      runMs: RUN_MS,
      tickMs: TICK_MS,
      pollDeadlineMs: POLL_DEADLINE_MS,
      sweepIntervalSeconds: INTERVAL_S,
      deadlineReserveMs: RESERVE_MS,
      trackDeadlineMs: TRACK_DEADLINE_MS,
      pollContainers: pollFns.length,
      trackContainers: trackFns.length,
    },
    poll: {
      operations: pollKeys().length,
      latency: stats(latencies("poll")),
      unannounced: unannounced("poll"),
      // Each operation: when it started (ms into the run), how long it ran, terminal → publish.
      detail: [...finishedAt]
        .filter(([, f]) => f.path === "poll")
        .map(([k, f]) => ({ startedMs: f.startedMs, durationMs: f.durationMs, latencyMs: (publishedAt.get(k) ?? Number.NaN) - f.at })),
      invocations: pollInvocations.length,
      failedInvocations: pollFailures,
      sweeps: pollInvocations.reduce((n, r) => n + r.sweeps, 0),
      perInvocation: pollInvocations,
      calls: pollCalls,
    },
    track: {
      operations: trackAnswers.length,
      latency: stats(latencies("track")),
      unannounced: unannounced("track"),
      failedInvocations: trackFailures,
      checks: stats(trackAnswers.map((a) => a.checks)),
      calls: trackCalls,
    },
    idle: {
      invocations: idle,
      aidpCallsPerTick: Math.max(...idleAidp),
      aidpCallsPerHourAt5MinSchedule: Math.max(...idleAidp) * ticksPerHourAt5Min,
      // Before the loop, every tick made exactly one sweep: the same calls.
      sweepsPerIdleTick: Math.max(...idle.map((r) => r.sweeps)),
    },
    emulatorRequests: { aidp: byService("aidp."), objectStorage: byService("os."), notifications: byService("ons."), byRoute: emuStats },
    targets: {
      p95Within20s: stats([...latencies("poll"), ...latencies("track")]).p95Ms <= 20_000,
      idleOneSweepPerTick: idle.every((r) => r.sweeps === 1),
      // Before the loop a tick was one sweep: 1 in-progress listing + 3 catch-up listings for one platform.
      idleAidpCallsNoMoreThanBefore: Math.max(...idleAidp) <= 4,
    },
  };
  writeFileSync(join(ROOT, "bench", "results", "latency.json"), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `poll  ${JSON.stringify(result.poll.latency)} unannounced ${result.poll.unannounced.length} invocations ${result.poll.invocations} sweeps ${result.poll.sweeps} calls ${JSON.stringify(pollCalls)}\n` +
      `track ${JSON.stringify(result.track.latency)} unannounced ${result.track.unannounced.length} calls ${JSON.stringify(trackCalls)}\n` +
      `idle  ${JSON.stringify(idle.map((r) => ({ sweeps: r.sweeps, aidp: r.calls.aidp, durationMs: r.durationMs, wallMs: r.wallMs })))}\n` +
      `targets ${JSON.stringify(result.targets)}\n`,
  );
} finally {
  await Promise.all(functions.map((f) => f.stop()));
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
}
