import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FunctionProcess, type FunctionProcessEvent } from "../../../stack/function-process.js";
import { LogFile } from "../../../stack/log-file.js";
import { writeTrivialHandler } from "../../support/trivial-fdk-handler.js";

interface Answer {
  pid: number;
  fnName: string;
  callId: string;
  deadline: string;
  env: Record<string, string | null>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("FunctionProcess", () => {
  let dir: string;
  let log: LogFile;
  let fp: FunctionProcess;
  let events: FunctionProcessEvent[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "aidp-fp-"));
    log = new LogFile(join(dir, "logs", "functions.jsonl"));
    events = [];
    process.env.PARENT_ONLY = "leak";
    fp = new FunctionProcess({
      name: "poll",
      entry: writeTrivialHandler(dir),
      env: { AIDP_WATCH_X: "configured" },
      socketRoot: dir,
      log,
      restartDelayMs: 20,
      onEvent: (e) => events.push(e),
    });
  });
  afterEach(async () => {
    delete process.env.PARENT_ONLY;
    await fp.stop();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the function under the FDK with only its configuration, and calls it like Fn", async () => {
    await fp.start();
    expect(existsSync(fp.socketPath!)).toBe(true);
    const res = await fp.invoke({}, { deadlineMs: 10_000, callId: "01TESTCALL" });
    expect(res.status).toBe(200);
    const body = res.json<Answer>();
    expect(body.pid).toBe(fp.pid);
    expect(body.fnName).toBe("aidp-watch-poll");
    expect(body.callId).toBe("01TESTCALL");
    expect(Date.parse(body.deadline) - Date.now()).toBeGreaterThan(8_000);
    expect(body.env).toEqual({ AIDP_WATCH_X: "configured", PARENT_ONLY: null, FN_FORMAT: "http-stream" });
    expect(events[0]).toMatchObject({ type: "ready", name: "poll" });
  });

  it("restarts a killed process in a fresh socket directory and removes the stale one", async () => {
    await fp.start();
    const firstPid = fp.pid!;
    const firstDir = dirname(fp.socketPath!);
    expect(fp.kill("SIGKILL")).toBe(true);
    await until(() => fp.pid !== firstPid);
    const res = await fp.invoke({});
    expect(res.json<Answer>().pid).not.toBe(firstPid);
    expect(existsSync(firstDir)).toBe(false);
    expect(fp.starts).toBe(2);
    expect(events.find((e) => e.type === "exited")).toMatchObject({ signal: "SIGKILL", expected: false });
  });

  it("restarts a process that exits on its own during a call; the call fails, calls after the restart work", async () => {
    await fp.start();
    const pid = fp.pid;
    await expect(fp.invoke({ exit: 3 })).rejects.toThrow();
    await until(() => fp.pid !== pid);
    const res = await fp.invoke({});
    expect(res.status).toBe(200);
    expect(events.find((e) => e.type === "exited")).toMatchObject({ code: 3, expected: false });
  });

  it("stops cleanly: process gone, socket directory removed, later calls refused", async () => {
    await fp.start();
    const pid = fp.pid!;
    const socketDir = dirname(fp.socketPath!);
    await fp.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(socketDir)).toBe(false);
    await expect(fp.invoke({})).rejects.toThrow(/stopped/);
    expect(events.at(-1)).toMatchObject({ type: "exited", expected: true });
  });

  it("writes the function's output to the log file as JSON lines", async () => {
    await fp.start();
    await fp.stop();
    await log.close();
    const records = readFileSync(log.path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ message: "trivial handler up", function: "aidp-watch-poll" }));
    expect(records).toContainEqual(
      expect.objectContaining({ function: "poll", stream: "stderr", message: "a plain stderr line", level: "warn" }),
    );
    expect(records).toContainEqual(expect.objectContaining({ source: "stack", message: "function process started", function: "poll" }));
  });

  it("fails start with a clear error when the entry does not start the FDK", async () => {
    const broken = new FunctionProcess({
      name: "track",
      entry: join(dir, "missing.js"),
      env: {},
      socketRoot: dir,
      log,
      startTimeoutMs: 3000,
    });
    await expect(broken.start()).rejects.toThrow(/function track did not start/);
    await broken.stop();
  });
});
