import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionCredentials } from "../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../emulator/server.js";
import { type AidpEmulator, aidpService, sampleOutputsWithExpectations } from "../../emulator/services/aidp/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../emulator/services/object-storage/index.js";
import { parseManifest } from "../../shared/export/manifest.js";
import { buildBundles } from "../support/build-bundles.js";
import { callFdk } from "../support/fdk-call.js";
import { type FdkFunction, startFdkFunction } from "../support/fdk-function.js";

// `export` end to end: the esbuild bundle (func.cjs + chunks/, built into a
// temporary folder with scripts/build.mjs's options) under the real FDK
// over its unix socket, as Fn runs it, authenticating with a resource
// principal against the in-process emulator (AIDP + Object Storage), called
// with POST /call and an Fn-Deadline: a plain request, an OCI Events
// envelope, an array, a re-export, and invalid input.

const ROOT = join(import.meta.dirname, "..", "..");
const PLATFORM = "ocid1.aidataplatform.oc1.iad.e2eexport";
const WS = "ws-e2e";

let emu: Emulator;
let dir: string;
let bundle: { dir: string; func: string } | undefined;
let socket: string;
let fn: FdkFunction | undefined;
const output = () => fn?.output() ?? "";
const aidp = () => emu.service<AidpEmulator>("aidp");
const os = () => emu.service<ObjectStorageEmulator>("objectstorage");
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  bundle = await buildBundles();
  emu = await startEmulator({
    services: [aidpService({ platforms: [PLATFORM] }), objectStorageService({ namespace: "e2ens", buckets: ["state", "outputs"] })],
  });
  dir = mkdtempSync(join(tmpdir(), "aw-e2x-"));
  const creds = provisionCredentials(dir, emu.registry);
  fn = await startFdkFunction({
    args: [(bundle as { func: string }).func],
    cwd: ROOT,
    env: {
      FN_FN_NAME: "aidp-watch-export",
      ...creds.resourcePrincipalEnv,
      AIDP_WATCH_AIDP_ENDPOINT: emu.url,
      AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
      AIDP_WATCH_STATE_BUCKET: "state",
      AIDP_WATCH_OUTPUT_BUCKET: "outputs",
      AIDP_WATCH_OUTPUT_PREFIX: "archive",
      AIDP_WATCH_DEADLINE_RESERVE_MS: "2000",
    },
    recordModules: true,
  });
  socket = fn.socket;
});

afterAll(async () => {
  await fn?.stop();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
});

interface Outcome {
  status: string;
  taskRunKey: string;
  manifest: string;
  parts: number;
  writes: number;
}

describe("export through the FDK", () => {
  it("archives every output form from a plain request; a re-export writes nothing", async () => {
    const samples = sampleOutputsWithExpectations();
    const { taskRunKeys } = aidp().addJobRun(PLATFORM, WS, {
      jobKey: "e2e",
      tasks: [{ name: "all-forms", output: { data: samples.map((s) => s.part), version: 2 } }],
    });
    const req = { aiDataPlatformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0] };
    const res = await callFdk(socket, req, { deadlineMs: 30_000 });
    expect(res.status, `${res.body}\n${output()}`).toBe(200);
    const [outcome] = res.json<{ exports: Outcome[] }>().exports;
    expect(outcome).toMatchObject({ status: "exported", parts: samples.length });
    expect(outcome!.manifest).toMatch(new RegExp(`^archive/${PLATFORM}/${WS}/${taskRunKeys[0]}/[^/]+/v2/manifest\\.json$`));
    const manifest = parseManifest(os().getObject("outputs", outcome!.manifest)!.body)!;
    samples.forEach((s, i) => {
      const p = manifest.parts[i]!;
      expect(p.status, s.name).toBe("archived");
      if (p.status === "archived") expect(sha(os().getObject("outputs", p.object)!.body), s.name).toBe(s.expected.sha256);
    });

    emu.stats.reset();
    const again = await callFdk(socket, req, { deadlineMs: 30_000 });
    expect(again.status).toBe(200);
    expect(again.json<{ exports: Outcome[] }>().exports[0]).toMatchObject({ status: "already-exported", writes: 0 });
    expect(emu.stats.count("os.putObject") + emu.stats.count("os.uploadPart")).toBe(0);
  });

  it("accepts an OCI Events envelope and an array", async () => {
    const a = aidp().addJobRun(PLATFORM, WS, {
      jobKey: "ev",
      tasks: [{ name: "a", output: { data: [{ type: "TEXT_PLAIN", value: "event" }] } }],
    });
    const b = aidp().addJobRun(PLATFORM, WS, {
      jobKey: "arr",
      tasks: [
        { name: "b", output: { data: [{ type: "APPLICATION_JSON", value: "{}" }] } },
        { name: "c", output: { data: [] } },
      ],
    });
    const event = {
      eventType: "com.oraclecloud.aidataplatform.taskrun.end",
      cloudEventsVersion: "0.1",
      eventTypeVersion: "2.0",
      source: "aidataplatform",
      eventID: "e2e-1",
      eventTime: new Date().toISOString(),
      contentType: "application/json",
      data: { resourceId: PLATFORM, additionalDetails: { workspaceKey: WS, taskRunKey: a.taskRunKeys[0] } },
    };
    const ev = await callFdk(socket, event, { deadlineMs: 30_000 });
    expect(ev.status, ev.body).toBe(200);
    expect(ev.json<{ exports: Outcome[] }>().exports[0]).toMatchObject({ status: "exported", taskRunKey: a.taskRunKeys[0] });
    const arr = await callFdk(
      socket,
      b.taskRunKeys.map((taskRunKey) => ({ aiDataPlatformId: PLATFORM, workspaceKey: WS, taskRunKey })),
      { deadlineMs: 30_000 },
    );
    expect(arr.status, arr.body).toBe(200);
    expect(arr.json<{ exports: Outcome[] }>().exports.map((o) => [o.status, o.parts])).toEqual([
      ["exported", 1],
      ["exported", 0],
    ]);
  });

  it("rejects invalid input with every problem listed and writes nothing", async () => {
    emu.stats.reset();
    const res = await callFdk(
      socket,
      { aiDataPlatformId: "nope", workspaceKey: "..", taskRunKey: "a/b", extra: 1 },
      { deadlineMs: 10_000 },
    );
    expect(res.status).toBe(502);
    for (const problem of [
      "unknown key(s) extra",
      "aiDataPlatformId",
      "workspaceKey must not be '.' or '..'",
      "taskRunKey must not contain '/'",
    ]) {
      expect(output() + res.body).toContain(problem);
    }
    expect(emu.stats.count("*")).toBe(0);
  });

  // Last: it stops the function to read what it loaded.
  it("sent every request above (AIDP POST, Object Storage reads and writes) through minipass-fetch on node:http, never loading undici (Node's fetch)", async () => {
    await fn?.stop();
    expect(fn?.loadedModules()).toContain("NativeModule http");
    expect(fn?.loadedModules().filter((m) => /undici/.test(m))).toEqual([]);
  });
});
