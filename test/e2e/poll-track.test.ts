import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionCredentials } from "../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../emulator/services/aidp/index.js";
import { type NotificationsEmulator, notificationsService } from "../../emulator/services/notifications/index.js";
import { objectStorageService } from "../../emulator/services/object-storage/index.js";
import { buildBundles } from "../support/build-bundles.js";
import { callFdk } from "../support/fdk-call.js";
import { type FdkFunction, startFdkFunction } from "../support/fdk-function.js";

// `poll` and `track` end to end: the esbuild bundle (func.cjs + chunks/, built
// into a temporary folder with scripts/build.mjs's options) runs under
// the real FDK over its unix socket, as Fn runs it, authenticating with a
// resource principal (the environment OCI Functions injects) against the
// in-process emulator, and is called with POST /call and an Fn-Deadline.

const ROOT = join(import.meta.dirname, "..", "..");
const PLATFORM = "ocid1.aidataplatform.oc1.iad.e2eplatform";
const TOPIC = "ocid1.onstopic.oc1.iad.e2etopic";

let emu: Emulator;
let dir: string;
let bundle: { dir: string; func: string } | undefined;
const running: FdkFunction[] = [];
let pollSocket: string;
let trackSocket: string;

let env: Record<string, string>;

async function startFunction(name: string, fnEnv: Record<string, string>, recordModules = false): Promise<FdkFunction> {
  const fn = await startFdkFunction({
    args: [(bundle as { func: string }).func],
    cwd: ROOT,
    env: { FN_FN_NAME: `aidp-watch-${name}`, ...fnEnv },
    recordModules,
  });
  running.push(fn);
  return fn;
}

beforeAll(async () => {
  bundle = await buildBundles();
  emu = await startEmulator({
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: "e2ens", buckets: ["state"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "aw-e2e-creds-"));
  const creds = provisionCredentials(dir, emu.registry);
  env = {
    ...creds.resourcePrincipalEnv,
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url,
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_TOPIC_ID: TOPIC,
    AIDP_WATCH_DEADLINE_RESERVE_MS: "2000",
    // A short interval keeps these tests quick; the loop is the same at 10 s.
    AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "1",
  };
  [pollSocket, trackSocket] = (await Promise.all([startFunction("poll", env), startFunction("track", env)])).map((f) => f.socket) as [
    string,
    string,
  ];
});

afterAll(async () => {
  await Promise.all(running.map((f) => f.stop()));
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
});

const messages = () => emu.service<NotificationsEmulator>("notifications").messages(TOPIC);
const aidp = () => emu.service<AidpEmulator>("aidp");

describe("poll and track through the FDK", () => {
  it("track announces an operation that already ended, within the call", async () => {
    const { key } = aidp().addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "sales.q3.orders",
      durationMs: 0,
      finalStatus: "FAILED",
      errorMessage: "exists",
    });
    const res = await callFdk(trackSocket, { aiDataPlatformId: PLATFORM, asyncOperationKey: key }, { deadlineMs: 20_000 });
    expect(res.status, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      tracked: 1,
      published: 1,
      operations: [{ asyncOperationKey: key, status: "FAILED", announcement: "published" }],
    });
    expect(messages().map((m) => m.title)).toContain("FAILED · CREATE_TABLE · sales.q3.orders");
  });

  it("sends through minipass-fetch on node:http: a call that reads, writes and publishes never loads undici (Node's fetch)", async () => {
    const fn = await startFunction("track", env, true);
    const { key } = aidp().addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "DROP_TABLE",
      resourceName: "sales.q3.nf",
      durationMs: 0,
    });
    const res = await callFdk(fn.socket, { aiDataPlatformId: PLATFORM, asyncOperationKey: key }, { deadlineMs: 20_000 });
    expect(res.json(), `${res.body}\n${fn.output()}`).toMatchObject({ tracked: 1, published: 1 });
    await fn.stop();
    expect(fn.loadedModules()).toContain("NativeModule http");
    expect(fn.loadedModules().filter((m) => /undici/.test(m))).toEqual([]);
  });

  it("poll keeps sweeping while an operation runs, announces it when it ends, then stops (idle)", async () => {
    const before = messages().length;
    const { key } = aidp().addOperation(PLATFORM, {
      resourceType: "CLUSTER",
      actionType: "RESTART_CLUSTER",
      resourceName: "ws.c1",
      durationMs: 2500,
    });
    const first = await callFdk(pollSocket, {}, { deadlineMs: 20_000 });
    expect(first.status, first.body).toBe(200);
    const s = first.json<{ sweeps: number; durationMs: number; calls: { aidp: number; objectStorage: number; notifications: number } }>();
    expect(first.json()).toMatchObject({ discovered: 1, changed: 1, published: 1, tracked: 0, failed: 0, loopExit: "idle" });
    // Swept at ~0, 1, 2 s (running) and ~3 s (ended): one invocation, not one schedule period.
    expect(s.sweeps).toBeGreaterThanOrEqual(3);
    expect(s.durationMs).toBeLessThan(15_000);
    expect(s.calls.notifications).toBe(1);
    expect(s.calls.aidp).toBeGreaterThanOrEqual(s.sweeps);
    const mine = messages().slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain(`${PLATFORM}/${key}/SUCCEEDED`);
    // Nothing in progress: one sweep and out.
    const second = await callFdk(pollSocket, "", { deadlineMs: 20_000 });
    expect(second.json()).toMatchObject({ published: 0, sweeps: 1, loopExit: "idle" });
  });

  it("poll stops sweeping at its work deadline while an operation still runs", async () => {
    const { key } = aidp().addOperation(PLATFORM, {
      resourceType: "CLUSTER",
      actionType: "START_CLUSTER",
      resourceName: "ws.long",
      durationMs: 600_000,
    });
    const t0 = Date.now();
    const res = await callFdk(pollSocket, {}, { deadlineMs: 6_000 });
    expect(res.json()).toMatchObject({ tracked: 1, published: 0, failed: 0, loopExit: "deadline" });
    expect(res.json<{ sweeps: number }>().sweeps).toBeGreaterThanOrEqual(2);
    // Work deadline = Fn-Deadline − 2 s reserve: answered before the Fn-Deadline.
    expect(Date.now() - t0).toBeLessThan(6_000);
    aidp().setOperationStatus(PLATFORM, key, "CANCELED");
    expect((await callFdk(pollSocket, {}, { deadlineMs: 20_000 })).json()).toMatchObject({ published: 1, tracked: 0 });
  });

  it("track follows an operation still running and announces it as soon as it ends", async () => {
    const before = messages().length;
    const { key } = aidp().addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "sales.q4.follow",
      durationMs: 2500,
    });
    const res = await callFdk(trackSocket, { aiDataPlatformId: PLATFORM, asyncOperationKey: key }, { deadlineMs: 20_000 });
    expect(res.status, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      tracked: 1,
      published: 1,
      operations: [{ asyncOperationKey: key, status: "SUCCEEDED", announcement: "published" }],
    });
    // Checked at 0 s, then after 1 s waits (the interval caps the 2 s first delay here) until it ended.
    expect(res.json<{ checks: number }>().checks).toBeGreaterThanOrEqual(2);
    expect(
      messages()
        .slice(before)
        .map((m) => m.title),
    ).toEqual(["SUCCEEDED · CREATE_TABLE · sales.q4.follow"]);
  });

  it("track rejects an invalid request with every problem, as a failed invocation", async () => {
    const res = await callFdk(trackSocket, [{ aiDataPlatformId: "x" }, {}], { deadlineMs: 20_000 });
    expect(res.status).toBe(502);
    const detail = res.json<{ detail: string }>().detail;
    expect(detail).toContain("TrackInputError");
    expect(detail).toContain("[0].aiDataPlatformId");
    expect(detail).toContain("[1]");
  });
});
