import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fdk from "@fnproject/fdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { selectHandler, toFdkHandler } from "../../../functions/fdk-adapter.js";
import type { FunctionHandler } from "../../../functions/invocation.js";
import { MemorySink } from "../../support/memory-log-sink.js";
import { createLogger, type Logger } from "../../../shared/log/logger.js";
import { callFdk, waitForSocket } from "../../support/fdk-call.js";

// The adapter runs under the real FDK over its unix socket, in-process:
// `fdk.handle` returns a stop function, so each test gets a fresh socket.
describe("FDK adapter", () => {
  let dir: string;
  let socket: string;
  let stop: (() => void) | undefined;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "aidp-fdk-"));
    socket = join(dir, "fn.sock");
    process.env.FN_FORMAT = "http-stream";
    process.env.FN_LISTENER = `unix:${socket}`;
  });
  afterEach(() => {
    stop?.();
    stop = undefined;
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  const env = { AIDP_WATCH_STATE_BUCKET: "state", AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..t", AIDP_WATCH_DEADLINE_RESERVE_MS: "2000" };

  it("passes input, deadlines and call id to the handler and returns its JSON", async () => {
    const handler: FunctionHandler = async (input, inv) => ({
      input,
      callId: inv.callId,
      workMs: inv.workDeadline.remainingMs(),
      hardMs: inv.hardDeadline.remainingMs(),
    });
    stop = fdk.handle(toFdkHandler("poll", handler, { env }));
    await waitForSocket(socket);
    const res = await callFdk(socket, { a: 1 }, { deadlineMs: 20_000, callId: "01XYZ" });
    expect(res.status).toBe(200);
    const body = res.json<{ input: unknown; callId: string; workMs: number; hardMs: number }>();
    expect(body.input).toEqual({ a: 1 });
    expect(body.callId).toBe("01XYZ");
    expect(body.hardMs).toBeGreaterThan(15_000);
    expect(body.hardMs - body.workMs).toBeGreaterThanOrEqual(1_990);
  });

  it("every line of a call carries its fnCallId, also from a logger built by an earlier call (container-cached clients)", async () => {
    const sink = new MemorySink();
    let cached: Logger | undefined;
    const handler: FunctionHandler = async (_input, inv) => {
      // What functions/services.ts does: objects built on the first call keep that call's logger.
      cached ??= inv.logger;
      cached.warn("from a container-cached client");
      await new Promise((r) => setTimeout(r, 5));
      createLogger({ sink }).warn("from a logger built without any call id");
      return {};
    };
    stop = fdk.handle(toFdkHandler("poll", handler, { env, sink }));
    await waitForSocket(socket);
    // Two overlapping calls, then a later one.
    await Promise.all([callFdk(socket, {}, { callId: "CALL1" }), callFdk(socket, {}, { callId: "CALL2" })]);
    await callFdk(socket, {}, { callId: "CALL3" });
    const byCall = (id: string) =>
      sink
        .records()
        .filter((r) => r.fnCallId === id)
        .map((r) => r.message);
    for (const id of ["CALL1", "CALL2", "CALL3"]) {
      expect(byCall(id)).toEqual(expect.arrayContaining(["from a container-cached client", "from a logger built without any call id"]));
    }
    expect(sink.records().every((r) => typeof r.fnCallId === "string")).toBe(true);
  });

  it("never crashes the container on an undefined result", async () => {
    const handler = (async () => undefined) as unknown as FunctionHandler;
    stop = fdk.handle(toFdkHandler("poll", handler, { env }));
    await waitForSocket(socket);
    const res = await callFdk(socket, {});
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({});
    expect((await callFdk(socket, {})).status).toBe(200);
  });

  it("fails the invocation with one clear line when configuration is invalid, and logs it redacted", async () => {
    const sink = new MemorySink();
    stop = fdk.handle(toFdkHandler("poll", async () => ({}), { env: { AIDP_WATCH_STATE_BUCKET: "s", AIDP_WATCH_TOPC_ID: "x" }, sink }));
    await waitForSocket(socket);
    const res = await callFdk(socket, {});
    expect(res.status).toBe(502);
    expect(res.json<{ detail: string }>().detail).toMatch(/AIDP_WATCH_TOPC_ID/);
    expect(sink.records()[0]).toMatchObject({ level: "error", function: "poll", message: "configuration is invalid" });
  });

  it("validates the configuration once, on the first call, and keeps that verdict for the container", async () => {
    const sink = new MemorySink();
    const badEnv: Record<string, string | undefined> = { AIDP_WATCH_STATE_BUCKET: "s", AIDP_WATCH_TOPC_ID: "x" };
    let ran = 0;
    stop = fdk.handle(toFdkHandler("poll", async () => ({ ran: ++ran }), { env: badEnv, sink }));
    await waitForSocket(socket);
    // Fixing the environment after the first call changes nothing: Fn restarts the container on a config change.
    const first = await callFdk(socket, {});
    Object.assign(badEnv, { AIDP_WATCH_TOPC_ID: undefined, AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..t" });
    const second = await callFdk(socket, {});
    expect([first.status, second.status]).toEqual([502, 502]);
    expect(second.json<{ detail: string }>().detail).toBe(first.json<{ detail: string }>().detail);
    expect(ran).toBe(0);

    // And a valid configuration checked on the first call stays valid.
    stop();
    const goodEnv: Record<string, string | undefined> = { ...env };
    stop = fdk.handle(toFdkHandler("poll", async () => ({ ran: ++ran }), { env: goodEnv }));
    await waitForSocket(socket);
    expect((await callFdk(socket, {})).json()).toEqual({ ran: 1 });
    goodEnv.AIDP_WATCH_TOPIC_ID = undefined;
    expect((await callFdk(socket, {})).json()).toEqual({ ran: 2 });
  });

  it("fails every call of a handler whose required keys are missing, naming them", async () => {
    stop = fdk.handle(toFdkHandler("export", async () => ({ ran: true }), { env }));
    await waitForSocket(socket);
    for (let i = 0; i < 2; i++) {
      const res = await callFdk(socket, {});
      expect(res.status).toBe(502);
      expect(res.json<{ detail: string }>().detail).toMatch(/AIDP_WATCH_OUTPUT_BUCKET/);
    }
  });

  it("fails the invocation when the handler throws, without leaking the error's properties", async () => {
    const sink = new MemorySink();
    const handler: FunctionHandler = async () => {
      throw Object.assign(new Error("boom"), { privateKey: "-----BEGIN PRIVATE KEY-----abc-----END PRIVATE KEY-----" });
    };
    stop = fdk.handle(toFdkHandler("track", handler, { env, sink }));
    await waitForSocket(socket);
    const res = await callFdk(socket, {});
    expect(res.status).toBe(502);
    expect(res.body).toContain("boom");
    expect(res.body).not.toContain("PRIVATE KEY");
    expect(sink.lines.join("")).not.toContain("PRIVATE KEY");
  });
});

describe("selectHandler", () => {
  it("prefers AIDP_WATCH_HANDLER, else the function name suffix", () => {
    expect(selectHandler({ AIDP_WATCH_HANDLER: "track", FN_FN_NAME: "x-poll" }, ["poll", "track"])).toBe("track");
    expect(selectHandler({ FN_FN_NAME: "aidp-watch-poll" }, ["poll", "track"])).toBe("poll");
    expect(() => selectHandler({ FN_FN_NAME: "other" }, ["poll"])).toThrow(/AIDP_WATCH_HANDLER/);
    expect(() => selectHandler({ AIDP_WATCH_HANDLER: "nope" }, ["poll"])).toThrow(/not one of/);
  });
});
