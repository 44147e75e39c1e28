import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSnapshot } from "../../stack/snapshot-blob.js";
import { buildBundles } from "../support/build-bundles.js";
import { callFdk } from "../support/fdk-call.js";
import { type FdkFunction, startFdkFunction } from "../support/fdk-function.js";

// Both entry points, run the way Fn runs them (FN_FORMAT=http-stream,
// FN_LISTENER=unix:<dir>/fn.sock, one process per function name) from a
// directory without node_modules:
// - `snapshot`: the image's, `node --snapshot-blob func.blob` (the blob built
//   from func-snapshot.cjs as the Dockerfile builds it, by this node);
// - `plain`: `node func.js` next to its chunks/ and {"type":"module"}, what the
//   local stack runs.
// Without configuration every handler must still start, listen and answer
// POST /call with a clear configuration error (502); real work through the
// snapshot is in snapshot.test.ts, through func.js in the other e2e tests.

const HANDLERS = ["poll", "track", "export"] as const;

let imageDir = "";
let snapshotDir = "";
let bundleDir = "";
const running: FdkFunction[] = [];

beforeAll(async () => {
  const bundle = await buildBundles();
  bundleDir = bundle.dir;
  imageDir = mkdtempSync(join(tmpdir(), "aw-image-"));
  // The plain entry's folder: func.js next to its chunks/, as `npm start`'s fallback runs it.
  copyFileSync(bundle.func, join(imageDir, "func.js"));
  cpSync(join(bundle.dir, "chunks"), join(imageDir, "chunks"), { recursive: true });
  writeFileSync(join(imageDir, "package.json"), '{"type":"module"}\n');
  // What the image holds: the snapshot script and the blob built from it.
  snapshotDir = mkdtempSync(join(tmpdir(), "aw-snap-"));
  copyFileSync(bundle.snapshotScript, join(snapshotDir, "func-snapshot.cjs"));
  await buildSnapshot({ script: join(snapshotDir, "func-snapshot.cjs"), blob: join(snapshotDir, "func.blob") });
});

afterAll(async () => {
  await Promise.all(running.map((f) => f.stop()));
  for (const d of [imageDir, snapshotDir, bundleDir]) if (d) rmSync(d, { recursive: true, force: true });
});

type Entry = "snapshot" | "plain";

async function start(entry: Entry, env: Record<string, string>): Promise<FdkFunction> {
  const fn = await startFdkFunction({
    args: entry === "snapshot" ? ["--snapshot-blob", "func.blob"] : ["func.js"],
    cwd: entry === "snapshot" ? snapshotDir : imageDir,
    env,
  });
  running.push(fn);
  return fn;
}

type ErrorBody = { message?: string; detail?: string };
const call = async (socket: string) => {
  const res = await callFdk(socket, {}, { deadlineMs: 30_000 });
  return { status: res.status, json: res.json<ErrorBody>() };
};

describe.each(["snapshot", "plain"] as const)("the %s entry under the FDK", (entry) => {
  it.each(HANDLERS)("starts as aidp-watch-%s and answers a call with a clear configuration error", async (h) => {
    const fn = await start(entry, { FN_FN_NAME: `aidp-watch-${h}`, FN_APP_NAME: "aidp-watch" });
    const res = await call(fn.socket);
    expect(res.status).toBe(502);
    // The adapter's message names the handler and the missing keys, never values.
    expect(res.json.detail).toMatch(new RegExp(`${h} function needs .*AIDP_WATCH_STATE_BUCKET`));
    // Still alive and answering (the FDK 0.0.76 dies on handlers that return undefined).
    const again = await call(fn.socket);
    expect(again.status).toBe(502);
    expect(fn.child.exitCode).toBeNull();
  });

  it("lets AIDP_WATCH_HANDLER pick the handler whatever the function is called", async () => {
    const fn = await start(entry, { FN_FN_NAME: "renamed-function", AIDP_WATCH_HANDLER: "track" });
    const res = await call(fn.socket);
    expect(res.status).toBe(502);
    expect(res.json.detail).toMatch(/track function needs .*AIDP_WATCH_TOPIC_ID/);
  });

  it("with a valid configuration, loads the selected handler (from chunks/ or the snapshot, no node_modules) and runs it", async () => {
    const fn = await start(entry, { FN_FN_NAME: "aidp-watch-track", AIDP_WATCH_STATE_BUCKET: "state", AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..x" });
    const res = await call(fn.socket);
    // The handler's own input validation answers: its chunk (zod schemas, shared code) loaded and ran.
    expect(res.status).toBe(502);
    expect(res.json.detail).toMatch(/TrackInputError/);
    expect(fn.output()).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
  });

  it("rejects an unknown AIDP_WATCH_* key at every call, naming the key, not its value", async () => {
    const fn = await start(entry, { FN_FN_NAME: "aidp-watch-poll", AIDP_WATCH_STATE_BUCKT: "s3cr3t-value", AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..x" });
    const res = await call(fn.socket);
    expect(res.status).toBe(502);
    expect(res.json.detail).toContain("AIDP_WATCH_STATE_BUCKT");
    expect(res.json.detail).not.toContain("s3cr3t-value");
    expect(fn.output()).not.toContain("s3cr3t-value");
  });
});
