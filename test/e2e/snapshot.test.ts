import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionCredentials } from "../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../emulator/server.js";
import { type AidpEmulator, aidpService, sampleOutputsWithExpectations } from "../../emulator/services/aidp/index.js";
import { type NotificationsEmulator, notificationsService } from "../../emulator/services/notifications/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../emulator/services/object-storage/index.js";
import { buildSnapshot } from "../../stack/snapshot-blob.js";
import { parseManifest } from "../../shared/export/manifest.js";
import { buildBundles } from "../support/build-bundles.js";
import { callFdk } from "../support/fdk-call.js";
import { type FdkFunction, startFdkFunction } from "../support/fdk-function.js";

// The image's entry end to end: the V8 startup snapshot built from
// func-snapshot.cjs as the Dockerfile builds it (by this node, into a folder
// holding only the script and the blob), started as `node --snapshot-blob
// func.blob` under the real FDK, configured like Terraform configures the
// functions (resource principal), doing real work against the emulator:
// signed AIDP calls, Object Storage reads/writes with if-match, ONS publishes,
// decoding. Whatever the snapshot got wrong (a module holding a native handle,
// state captured at build time, a lazily required built-in) shows up here.

const PLATFORM = "ocid1.aidataplatform.oc1.iad.e2esnapshot";
const TOPIC = "ocid1.onstopic.oc1.iad.e2esnapshot";
const WS = "ws-snapshot";

let emu: Emulator;
let work: string;
let bundleDir: string | undefined;
let imageDir: string;
let buildWarnings = "";
let env: Record<string, string>;
const running: FdkFunction[] = [];

function startFunction(handler: string, extra: Record<string, string> = {}, args = ["--snapshot-blob", "func.blob"], recordModules = false): Promise<FdkFunction> {
  return startFdkFunction({ args, cwd: imageDir, env: { FN_FN_NAME: `aidp-watch-${handler}`, ...env, ...extra }, recordModules }).then((fn) => {
    running.push(fn);
    return fn;
  });
}

beforeAll(async () => {
  const bundle = await buildBundles();
  bundleDir = bundle.dir;
  work = mkdtempSync(join(tmpdir(), "aw-snap-"));
  imageDir = mkdtempSync(join(tmpdir(), "aw-snap-image-"));
  copyFileSync(bundle.snapshotScript, join(imageDir, "func-snapshot.cjs"));
  buildWarnings = (await buildSnapshot({ script: join(imageDir, "func-snapshot.cjs"), blob: join(imageDir, "func.blob") })).warnings;
  emu = await startEmulator({
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: "snapns", buckets: ["state", "outputs"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  const creds = provisionCredentials(join(work, "creds"), emu.registry);
  env = {
    ...creds.resourcePrincipalEnv,
    AIDP_WATCH_AUTH: "resource_principal",
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url,
    AIDP_WATCH_NAMESPACE: "snapns",
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_OUTPUT_BUCKET: "outputs",
    AIDP_WATCH_TOPIC_ID: TOPIC,
    AIDP_WATCH_DEADLINE_RESERVE_MS: "2000",
    // One sweep per call: these tests follow state across calls (the loop is tested in poll-track.test.ts).
    AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "0",
  };
});

afterAll(async () => {
  await Promise.all(running.map((f) => f.stop()));
  await emu?.close();
  for (const d of [work, imageDir, bundleDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const aidp = () => emu.service<AidpEmulator>("aidp");
const messages = () => emu.service<NotificationsEmulator>("notifications").messages(TOPIC);
const os = () => emu.service<ObjectStorageEmulator>("objectstorage");
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("the startup snapshot (the image's entry) doing real work under the FDK", () => {
  it("builds from the bundle alone, with no built-in module Node can't vouch for in the heap", () => {
    expect(readdirSync(imageDir).sort()).toEqual(["func-snapshot.cjs", "func.blob", "snapshot-config.json"]);
    // http/https/tls/net are lazy stand-ins in the snapshot bundle; were one loaded at build time, Node warns (or, for http on Node 22, aborts).
    expect(buildWarnings).not.toMatch(/not yet fully verified|built-in module/);
  });

  it("track: signs with the resource principal, registers, announces an ended operation on ONS", async () => {
    const fn = await startFunction("track");
    const { key } = aidp().addOperation(PLATFORM, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "snap.t1", durationMs: 0, finalStatus: "FAILED", errorMessage: "exists" });
    const res = await callFdk(fn.socket, { aiDataPlatformId: PLATFORM, asyncOperationKey: key }, { deadlineMs: 20_000 });
    expect(res.status, `${res.body}\n${fn.output()}`).toBe(200);
    expect(res.json()).toMatchObject({ tracked: 1, published: 1, operations: [{ asyncOperationKey: key, status: "FAILED", announcement: "published" }] });
    expect(messages().map((m) => m.title)).toContain("FAILED · CREATE_TABLE · snap.t1");
    // The private key and the token never reach the function's output.
    expect(fn.output()).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|eyJ[A-Za-z0-9_-]{8,}\./);
  });

  it("poll: discovers, keeps its index with if-match, announces once over several calls on one container", async () => {
    const fn = await startFunction("poll");
    const before = messages().length;
    const { key } = aidp().addOperation(PLATFORM, { resourceType: "CLUSTER", actionType: "START_CLUSTER", resourceName: "ws.snap", durationMs: 1200 });
    const first = await callFdk(fn.socket, {}, { deadlineMs: 20_000 });
    expect(first.status, `${first.body}\n${fn.output()}`).toBe(200);
    expect(first.json()).toMatchObject({ discovered: 1, failed: 0 });
    await new Promise((r) => setTimeout(r, 1300));
    const second = await callFdk(fn.socket, {}, { deadlineMs: 20_000 });
    expect(second.json()).toMatchObject({ changed: 1, published: 1, failed: 0 });
    const third = await callFdk(fn.socket, {}, { deadlineMs: 20_000 });
    expect(third.json()).toMatchObject({ published: 0, failed: 0 });
    const mine = messages().slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toContain(`${PLATFORM}/${key}/SUCCEEDED`);
  });

  it("export: decodes every output form (base64, GZIP, DEFLATE, .Z, BZIP2, UTF-16) and writes what the real tools' fixtures hash to", async () => {
    const fn = await startFunction("export");
    const samples = sampleOutputsWithExpectations();
    const { taskRunKeys } = aidp().addJobRun(PLATFORM, WS, { jobKey: "snap", tasks: [{ name: "all-forms", output: { data: samples.map((s) => s.part) } }] });
    const res = await callFdk(fn.socket, { aiDataPlatformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0] }, { deadlineMs: 30_000 });
    expect(res.status, `${res.body}\n${fn.output()}`).toBe(200);
    const [outcome] = res.json<{ exports: Array<{ status: string; manifest: string; parts: number }> }>().exports;
    expect(outcome).toMatchObject({ status: "exported", parts: samples.length });
    const manifest = parseManifest(os().getObject("outputs", outcome?.manifest ?? "")?.body ?? Buffer.alloc(0));
    expect(manifest).toBeDefined();
    samples.forEach((s, i) => {
      const p = manifest?.parts[i];
      expect(p?.status, s.name).toBe("archived");
      if (p?.status === "archived") expect(sha(os().getObject("outputs", p.object)?.body ?? Buffer.alloc(0)), s.name).toBe(s.expected.sha256);
    });
  });

  it("sends through minipass-fetch on node:http: no call loads undici, Node's fetch (a cold start's largest cost)", async () => {
    for (const args of [["--snapshot-blob", "func.blob"], ["func-snapshot.cjs"]]) {
      // track publishes (AIDP, Object Storage, ONS); export fetches and writes output (AIDP POST, Object Storage).
      const track = await startFunction("track", {}, args, true);
      const { key } = aidp().addOperation(PLATFORM, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "snap.nf", durationMs: 0 });
      const t = await callFdk(track.socket, { aiDataPlatformId: PLATFORM, asyncOperationKey: key }, { deadlineMs: 20_000 });
      expect(t.json(), `${t.body}\n${track.output()}`).toMatchObject({ tracked: 1, published: 1 });
      const exp = await startFunction("export", {}, args, true);
      const taskRunKey = aidp().addJobRun(PLATFORM, WS, { jobKey: "nf", tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", value: "nf" }] } }] }).taskRunKeys[0];
      const e = await callFdk(exp.socket, { aiDataPlatformId: PLATFORM, workspaceKey: WS, taskRunKey }, { deadlineMs: 20_000 });
      expect(e.status, `${e.body}\n${exp.output()}`).toBe(200);
      for (const fn of [track, exp]) {
        await fn.stop();
        const modules = fn.loadedModules();
        expect(modules, args.join(" ")).toContain("NativeModule http");
        expect(modules.filter((m) => /undici/.test(m)), args.join(" ")).toEqual([]);
      }
    }
  });

  it("containers started from one snapshot draw their own request ids and retry tokens", async () => {
    // Randomness drawn while building would be in the heap, and every container
    // would replay it (Node 20's crypto.randomUUID cache and the uuid package's
    // pool behave so): colliding opc-retry-tokens make AIDP treat one
    // container's POST as a retry of another's.
    const idsOf = async (handler: "track" | "export", input: () => unknown) => {
      const fn = await startFunction(handler);
      emu.stats.reset();
      const res = await callFdk(fn.socket, input(), { deadlineMs: 20_000 });
      expect(res.status, `${res.body}\n${fn.output()}`).toBe(200);
      const ids = emu.stats.clientIds();
      await fn.stop();
      return ids;
    };
    const ended = () => ({ aiDataPlatformId: PLATFORM, asyncOperationKey: aidp().addOperation(PLATFORM, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "snap.ids", durationMs: 0 }).key });
    const taskRun = () => ({
      aiDataPlatformId: PLATFORM,
      workspaceKey: WS,
      taskRunKey: aidp().addJobRun(PLATFORM, WS, { jobKey: "ids", tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", value: "ids" }] } }] }).taskRunKeys[0],
    });
    const runs = [await idsOf("track", ended), await idsOf("track", ended), await idsOf("export", taskRun), await idsOf("export", taskRun)];
    const requestIds = runs.flatMap((r) => r.flatMap((x) => (x.requestId ? [x.requestId] : [])));
    const retryTokens = runs.flatMap((r) => r.flatMap((x) => (x.retryToken ? [x.retryToken] : [])));
    // SDK calls (Object Storage, ONS) and our own AIDP calls both sent ids; the export POSTs sent tokens.
    expect(runs.every((r) => r.some((x) => x.route.startsWith("os.")) && r.some((x) => x.route.startsWith("aidp.")))).toBe(true);
    expect(retryTokens.length).toBeGreaterThanOrEqual(2);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect(new Set(retryTokens).size).toBe(retryTokens.length);
  });

  it("reads the configuration of the container it starts in, not of the build", async () => {
    // An unknown key is rejected at call time: the environment is read after deserialisation.
    const fn = await startFunction("track", { AIDP_WATCH_TOPIC_ID: TOPIC, AIDP_WATCH_STATE_BUKET: "s3cr3t-value" });
    const res = await callFdk(fn.socket, {}, { deadlineMs: 10_000 });
    expect(res.status).toBe(502);
    expect(res.json<{ detail: string }>().detail).toContain("AIDP_WATCH_STATE_BUKET");
    expect(fn.output() + res.body).not.toContain("s3cr3t-value");
  });

  it("the same script serves without the snapshot too (the Dockerfile's troubleshooting entry)", async () => {
    const fn = await startFunction("track", {}, ["func-snapshot.cjs"]);
    const { key } = aidp().addOperation(PLATFORM, { resourceType: "TABLE", actionType: "DELETE_TABLE", resourceName: "snap.t2", durationMs: 0 });
    const res = await callFdk(fn.socket, { aiDataPlatformId: PLATFORM, asyncOperationKey: key }, { deadlineMs: 20_000 });
    expect(res.status, `${res.body}\n${fn.output()}`).toBe(200);
    expect(res.json()).toMatchObject({ tracked: 1, published: 1 });
  });
});
