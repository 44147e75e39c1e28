import { copyFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundles } from "../support/build-bundles.js";
import { callFdk } from "../support/fdk-call.js";
import { type FdkFunction, startFdkFunction } from "../support/fdk-function.js";

// The entry point, run the way Fn runs the image (FN_FORMAT=http-stream,
// FN_LISTENER=unix:<dir>/fn.sock, one process per function name): `node func.cjs`
// next to its chunks/, from a directory without node_modules or package.json,
// as the Dockerfile lays it out. Without configuration every
// handler must still start, listen and answer POST /call with a clear
// configuration error (502); real work through the FDK is in the other e2e tests.

const HANDLERS = ["poll", "track", "export"] as const;

let imageDir = "";
let bundleDir = "";
const running: FdkFunction[] = [];

beforeAll(async () => {
  const bundle = await buildBundles();
  bundleDir = bundle.dir;
  imageDir = mkdtempSync(join(tmpdir(), "aw-image-"));
  copyFileSync(bundle.func, join(imageDir, "func.cjs"));
  cpSync(join(bundle.dir, "chunks"), join(imageDir, "chunks"), { recursive: true });
});

afterAll(async () => {
  await Promise.all(running.map((f) => f.stop()));
  for (const d of [imageDir, bundleDir]) if (d) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<FdkFunction> {
  const fn = await startFdkFunction({ args: ["func.cjs"], cwd: imageDir, env });
  running.push(fn);
  return fn;
}

type ErrorBody = { message?: string; detail?: string };
const call = async (socket: string) => {
  const res = await callFdk(socket, {}, { deadlineMs: 30_000 });
  return { status: res.status, json: res.json<ErrorBody>() };
};

describe("func.cjs under the FDK", () => {
  it.each(HANDLERS)("starts as aidp-watch-%s and answers a call with a clear configuration error", async (h) => {
    const fn = await start({ FN_FN_NAME: `aidp-watch-${h}`, FN_APP_NAME: "aidp-watch" });
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
    const fn = await start({ FN_FN_NAME: "renamed-function", AIDP_WATCH_HANDLER: "track" });
    const res = await call(fn.socket);
    expect(res.status).toBe(502);
    expect(res.json.detail).toMatch(/track function needs .*AIDP_WATCH_TOPIC_ID/);
  });

  it("with a valid configuration, loads the selected handler (from chunks/, no node_modules) and runs it", async () => {
    const fn = await start({
      FN_FN_NAME: "aidp-watch-track",
      AIDP_WATCH_STATE_BUCKET: "state",
      AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..x",
    });
    const res = await call(fn.socket);
    // The handler's own input validation answers: its chunk (zod schemas, shared code) loaded and ran.
    expect(res.status).toBe(502);
    expect(res.json.detail).toMatch(/TrackInputError/);
    expect(fn.output()).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
  });

  it("rejects an unknown AIDP_WATCH_* key at every call, naming the key, not its value", async () => {
    const fn = await start({
      FN_FN_NAME: "aidp-watch-poll",
      AIDP_WATCH_STATE_BUCKT: "s3cr3t-value",
      AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..x",
    });
    const res = await call(fn.socket);
    expect(res.status).toBe(502);
    expect(res.json.detail).toContain("AIDP_WATCH_STATE_BUCKT");
    expect(res.json.detail).not.toContain("s3cr3t-value");
    expect(fn.output()).not.toContain("s3cr3t-value");
  });
});
