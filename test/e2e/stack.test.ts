import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PublishedMessage } from "../../emulator/services/notifications/index.js";
import { type AnnouncedState, announcedStates, stateId } from "../../stack/announced-states.js";
import { expectationsOf, progressOf } from "../../stack/demo-expectations.js";
import { STACK_PLATFORM_ID } from "../../stack/stack-config.js";
import { type Stack, startStack } from "../../stack/stack.js";
import { buildBundles } from "../support/build-bundles.js";

// The whole local stack, end to end: emulator + the real function bundle under
// the real FDK, one process per function. A poll process is SIGKILLed while it
// publishes; the stack restarts it, and every seeded terminal state must still
// be announced — a duplicate is allowed only for the state whose publish the
// kill interrupted (publish done, record not yet written).

const SPEED = 20;
// A claim held by the killed poll expires 30 s after that call's Fn-Deadline;
// a short poll deadline keeps the worst case (states the dead poll had
// claimed but not yet published) well inside the test's time.
const POLL_DEADLINE_MS = 6_000;
const WORST_CASE_MS = POLL_DEADLINE_MS + 30_000 + 10_000;

async function until(what: () => string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function counts(states: readonly AnnouncedState[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of states) m.set(stateId(s), (m.get(stateId(s)) ?? 0) + 1);
  return m;
}

describe("local stack (e2e)", () => {
  let bundle: { dir: string; cli: string; func: string };
  const dirs: string[] = [];

  beforeAll(async () => {
    bundle = await buildBundles();
  });
  afterAll(() => {
    for (const d of [bundle.dir, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  it(
    "announces every seeded terminal state after poll is killed mid-sweep, and a restart adds no duplicates",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "aidp-watch-e2e-"));
      dirs.push(dataDir);
      const options = {
        port: 0,
        dataDir,
        speed: SPEED,
        pollIntervalMs: 500,
        entry: bundle.func,
        callTimeoutsMs: { poll: POLL_DEADLINE_MS },
      };
      let stack: Stack | undefined = await startStack(options);
      try {
        const scenario = stack.scenario!;
        const expected = expectationsOf(scenario);
        const poll = stack.functions.get("poll")!;
        const firstPollPid = poll.pid!;
        // Kill poll inside its publish: the listener runs while PublishMessage is
        // being handled, before poll has the answer (let alone recorded it).
        let killedDuring: string[] | undefined;
        const running = stack;
        stack.notifications.onMessage((m: PublishedMessage) => {
          if (killedDuring !== undefined || running.pollsInFlight() === 0) return;
          killedDuring = announcedStates(`${m.title ?? ""}\n${m.body}`, [STACK_PLATFORM_ID]).map(stateId);
          poll.kill("SIGKILL");
        });

        const missing = () => progressOf(expected, running.announced(), running.manifests()).missing.map((e) => e.description);
        await until(
          () => `every expected notification and export; missing: ${missing().join("; ")} (log: ${running.logFile})`,
          () => missing().length === 0,
          WORST_CASE_MS,
        );
        expect(killedDuring, "the kill landed during a poll publish").toBeDefined();
        expect(poll.starts).toBeGreaterThanOrEqual(2);
        expect(alive(firstPollPid)).toBe(false);

        const firstRun = counts(stack.announced());
        for (const [id, n] of firstRun) {
          if (killedDuring!.includes(id)) expect(n, id).toBeLessThanOrEqual(2);
          else expect(n, id).toBe(1);
        }
        const messagesBefore = stack.notifications.messages().length;

        // Ctrl-C equivalent: everything stops, no process or socket left behind.
        const pids = [...stack.functions.values()].map((f) => f.pid!);
        const sockets = [...stack.functions.values()].map((f) => f.socketPath!);
        await stack.stop();
        stack = undefined;
        for (const pid of pids) expect(alive(pid)).toBe(false);
        for (const s of sockets) expect(existsSync(s)).toBe(false);

        // Start again on the same data: same operations (re-seeded from the persisted anchor), nothing announced twice.
        stack = await startStack(options);
        expect(stack.resumed).toBe(true);
        expect(stack.scenario!.operations.map((o) => o.key)).toEqual(scenario.operations.map((o) => o.key));
        expect(stack.notifications.messages().length).toBe(messagesBefore);
        // Wait for a poll to complete on the restarted stack (a trigger while the
        // scheduler's own first poll is still running is skipped; on a loaded
        // machine that first poll can take seconds), then one more full poll.
        const restarted = stack;
        await restarted.pollNow();
        await until(
          () => `a poll completes after the restart (log: ${restarted.logFile})`,
          () => restarted.counters().polls >= 1,
          30_000,
        );
        const completed = restarted.counters().polls;
        await until(
          () => `a second poll completes after the restart (log: ${restarted.logFile})`,
          () => {
            void restarted.pollNow();
            return restarted.counters().polls > completed;
          },
          30_000,
        );
        // Only the state whose publish the kill interrupted may be announced again (once its claim expires).
        const afterRestart = counts(stack.announced());
        for (const [id, n] of afterRestart) {
          if (killedDuring!.includes(id)) expect(n, id).toBeLessThanOrEqual(2);
          else expect(n, id).toBe(1);
        }
      } finally {
        await stack?.stop();
      }
    },
    WORST_CASE_MS + 80_000,
  );

  it("`aidp-watch demo` exits 0 with a summary once everything expected happened", async () => {
    // The bundle lives in a temp folder, so tell the emulator where its fixtures are (from dist/ it finds them itself).
    const env = { ...process.env, AIDP_EMULATOR_FIXTURES: resolve("emulator/services/aidp/fixtures") };
    const child = spawn(process.execPath, [bundle.cli, "demo", "--quiet", "--timeout", "50"], { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(out).toMatch(/demo passed in [\d.]+ s/);
    expect(code).toBe(0);
    expect(out).toMatch(/no duplicate announcements/);
    // The log file named in the summary outlives the temporary data folder.
    const logFile = /function logs: (\S+)/.exec(out)?.[1];
    expect(logFile && existsSync(logFile)).toBe(true);
    if (logFile) rmSync(logFile, { force: true });
  });
});
