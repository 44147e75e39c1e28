// Calls and wall time of one `poll` sweep as the number of tracked operations
// grows, with 1 % of them changing per sweep, against the emulator with 20 ms
// of latency per request, next to the lower bound computed in the same run:
//
//   AIDP lower bound = list pages (IN_PROGRESS at 1,000 per page, + one
//                      catch-up page per terminal status) + changes (one GET each)
//   ONS lower bound  = messages needed: changes, or `budget` (49 + 1 digest) when more
//   Object Storage   = no fixed bound: index GET + PUT and the registrations LIST
//                      are the floor (3); the claim protocol adds 2 writes per
//                      announcement, the shared budget 2–3 calls.
//
//   npx tsx bench/sweep.ts [--sizes 100,1000,10000] [--sweeps 3] [--latency 20]
//
// The real `poll` handler runs with the real SDK clients (the same wiring as
// the integration tests); the emulator's fake clock moves one minute between
// sweeps so each sweep has a fresh publish-budget window.
// Writes bench/results/sweep.json.
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { op, PLATFORM, startWatchStack } from "../test/integration/watch/watch-emulator.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000" },
    sweeps: { type: "string", default: "3" },
    latency: { type: "string", default: "20" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const sweeps = Number(values.sweeps);
const latencyMs = Number(values.latency);
const BUDGET = 50;
const CONCURRENCY = 4;
const STATUSES = ["SUCCEEDED", "FAILED", "CANCELED"];

function count(snapshot: Record<string, number>, prefix: string): number {
  return Object.entries(snapshot)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((n, [, v]) => n + v, 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const results = [];
for (const n of sizes) {
  const stack = await startWatchStack({
    env: { AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE: String(BUDGET), AIDP_WATCH_AIDP_CONCURRENCY: String(CONCURRENCY) },
  });
  try {
    const keys = Array.from({ length: n }, (_, i) => stack.aidp.addOperation(PLATFORM, op({ resourceName: `cat.schema.t${i}` })).key);
    await stack.poll(); // discovers all n (first sweep: no catch-up)
    await stack.clock.advance(60_000);
    await stack.poll(); // steady state
    stack.emu.setLatency(latencyMs);
    const changes = Math.max(1, Math.round(n / 100));
    const runs = [];
    let next = 0;
    for (let s = 0; s < sweeps; s++) {
      const changing = keys.slice(next, next + changes);
      next += changes;
      changing.forEach((k, i) => {
        stack.aidp.setOperationStatus(
          PLATFORM,
          k,
          STATUSES[i % 3]!,
          i % 3 === 1 ? { errorCode: "E", errorMessage: "failed in the bench" } : undefined,
        );
      });
      await stack.clock.advance(60_000);
      stack.emu.stats.reset();
      const t0 = performance.now();
      const summary = await stack.poll({ deadlineMs: 600_000 });
      const wallMs = Math.round(performance.now() - t0);
      const snap = stack.emu.stats.snapshot();
      const inProgress = n - next;
      const listPages = Math.max(1, Math.ceil(inProgress / 1000)) + STATUSES.length;
      runs.push({
        changes,
        published: summary.published,
        announcedOps: summary.platforms[0]?.announced ?? 0,
        failed: summary.failed,
        wallMs,
        aidp: {
          calls: count(snap, "aidp."),
          lowerBound: listPages + changes,
          listPages,
          byRoute: Object.fromEntries(Object.entries(snap).filter(([k]) => k.startsWith("aidp."))),
        },
        objectStorage: {
          calls: count(snap, "os."),
          floor: 3,
          byRoute: Object.fromEntries(Object.entries(snap).filter(([k]) => k.startsWith("os."))),
        },
        ons: { calls: count(snap, "ons."), lowerBound: Math.min(changes, BUDGET) },
      });
      process.stderr.write(
        `tracked ${n}: sweep ${s + 1}: ${JSON.stringify({ wallMs, aidp: runs.at(-1)!.aidp.calls, lb: runs.at(-1)!.aidp.lowerBound, os: runs.at(-1)!.objectStorage.calls, ons: runs.at(-1)!.ons.calls })}\n`,
      );
    }
    results.push({
      tracked: n,
      changesPerSweep: changes,
      medianWallMs: median(runs.map((r) => r.wallMs)),
      medianAidpCalls: median(runs.map((r) => r.aidp.calls)),
      aidpLowerBound: runs[0]!.aidp.lowerBound,
      medianObjectStorageCalls: median(runs.map((r) => r.objectStorage.calls)),
      medianOnsCalls: median(runs.map((r) => r.ons.calls)),
      onsLowerBound: runs[0]!.ons.lowerBound,
      sweeps: runs,
    });
  } finally {
    await stack.close();
  }
}

const out = {
  date: new Date().toISOString(),
  node: process.version,
  latencyMsPerRequest: latencyMs,
  publishBudgetPerMinute: BUDGET,
  aidpConcurrency: CONCURRENCY,
  note: "AIDP lower bound = list pages + changes, computed in the same run. Object Storage floor = index GET+PUT + registrations LIST; claims add 2 writes per announced operation; the shared budget 2–3 calls.",
  results,
};
writeFileSync(join(ROOT, "bench", "results", "sweep.json"), `${JSON.stringify(out, null, 2)}\n`);
process.stderr.write(
  `${JSON.stringify(
    results.map(({ sweeps: _s, ...r }) => r),
    null,
    2,
  )}\nwritten bench/results/sweep.json\n`,
);
