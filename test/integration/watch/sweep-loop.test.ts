import { afterEach, describe, expect, it } from "vitest";
import type { FakeClock } from "../../support/fake-clock.js";
import { op, PLATFORM, startWatchStack, type WatchStack } from "./watch-emulator.js";

// The loop of `poll` and the following of `track` against the emulator, on
// the fake clock that also drives the operations: every wait is exact and
// nothing here sleeps for real.

let stack: WatchStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function start(env: Record<string, string> = {}): Promise<WatchStack> {
  stack = await startWatchStack({ env: { AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "10", ...env } });
  return stack;
}

/** Resolves once the code under test is waiting on the fake clock. */
async function untilAsleep(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 100_000 && clock.pendingSleeps() === 0; i++) await new Promise<void>((r) => setImmediate(r));
  expect(clock.pendingSleeps()).toBeGreaterThan(0);
}

interface PollAnswer {
  sweeps: number;
  loopExit: string;
  published: number;
  failed: number;
  tracked: number;
  calls: { aidp: number; objectStorage: number; notifications: number };
}

describe("poll's sweep loop", () => {
  it("sweeps every 10 s while an operation runs and announces it within one interval of its end", async () => {
    const s = await start();
    const t0 = s.clock.now();
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 25_000 }));
    let publishedAt: number | undefined;
    s.ons.onMessage(() => {
      publishedAt ??= s.clock.now();
    });
    const answer = (await s.clock.runUntilSettled(s.poll({ deadlineMs: 300_000 }))) as unknown as PollAnswer;
    expect(answer).toMatchObject({ sweeps: 4, loopExit: "idle", published: 1, tracked: 0, failed: 0 });
    // Sweeps at 0, 10, 20 (running) and 30 s (ended at 25 s).
    expect(publishedAt! - t0).toBe(30_000);
    expect(s.announcedKeys()).toEqual([`${PLATFORM}/${key}/SUCCEEDED`]);
    // Four sweeps: 1 in-progress listing each + 3 catch-up listings from the second on, one GET once it left the list.
    expect(answer.calls).toMatchObject({ aidp: 1 + 3 * 4 + 1, notifications: 1 });
  });

  it("an idle platform gets one sweep: no more AIDP calls than a single pass", async () => {
    const s = await start();
    await s.poll(); // first sweep ever: no catch-up
    const answer = (await s.clock.runUntilSettled(s.poll({ deadlineMs: 300_000 }))) as unknown as PollAnswer;
    expect(answer).toMatchObject({ sweeps: 1, loopExit: "idle", published: 0 });
    expect(answer.calls).toMatchObject({ aidp: 4, notifications: 0 });
  });

  it("stops at the work deadline with the operation still tracked; the next invocation takes over", async () => {
    const s = await start();
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 600_000 }));
    const t0 = s.clock.now();
    const answer = (await s.clock.runUntilSettled(s.poll({ deadlineMs: 60_000 }))) as unknown as PollAnswer;
    // Work deadline 55 s (5 s reserve): sweeps at 0, 10, … 50 s.
    expect(answer).toMatchObject({ sweeps: 6, loopExit: "deadline", tracked: 1, published: 0 });
    expect(s.clock.now() - t0).toBeLessThan(55_000);
    s.aidp.setOperationStatus(PLATFORM, key, "FAILED", { errorMessage: "no capacity" });
    expect(await s.clock.runUntilSettled(s.poll({ deadlineMs: 60_000 }))).toMatchObject({ sweeps: 1, published: 1, tracked: 0 });
  });

  it("keeps going through an AIDP failure mid-loop, spaced out, and announces once AIDP answers again", async () => {
    const s = await start();
    const t0 = s.clock.now();
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 25_000 }));
    const poll = s.poll({ deadlineMs: 300_000 });
    await untilAsleep(s.clock); // after sweep 1
    // Sweep 2 (10 s): every listing refused (not retried), then AIDP is back.
    s.emu.faults.add({ route: "aidp.listAsyncOperations", status: 401, times: 4 });
    const answer = (await s.clock.runUntilSettled(poll)) as unknown as PollAnswer;
    expect(answer.failed).toBeGreaterThan(0);
    // After the failing sweep the wait doubles: sweep 3 at 30 s, which sees the end.
    expect(answer).toMatchObject({ sweeps: 3, loopExit: "idle", published: 1, tracked: 0 });
    expect(s.clock.now() - t0).toBe(30_000);
    expect(s.announcedKeys()).toEqual([`${PLATFORM}/${key}/SUCCEEDED`]);
  });

  it("keeps going when the state bucket fails a whole sweep mid-loop (the platform was active before)", async () => {
    const s = await start();
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 25_000 }));
    const poll = s.poll({ deadlineMs: 300_000 });
    await untilAsleep(s.clock);
    // Sweep 2: the index cannot be read, so the platform's sweep fails outright.
    s.emu.faults.add({ route: "os.getObject", status: 401, times: 1 });
    const answer = (await s.clock.runUntilSettled(poll)) as unknown as PollAnswer & { platforms: Array<{ error?: string }> };
    expect(answer).toMatchObject({ sweeps: 3, loopExit: "idle", published: 1, tracked: 0 });
    expect(answer.failed).toBeGreaterThan(0);
    expect(s.announcedKeys()).toEqual([`${PLATFORM}/${key}/SUCCEEDED`]);
  });
});

describe("track following its operation", () => {
  it("checks again after 2, 4, 8… s and announces as soon as it sees the end", async () => {
    const s = await start();
    const t0 = s.clock.now();
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 5_000 }));
    const answer = await s.clock.runUntilSettled(s.track({ aiDataPlatformId: PLATFORM, asyncOperationKey: key }));
    // Checks at 0, 2 and 6 s (ended at 5 s).
    expect(answer).toMatchObject({ tracked: 1, published: 1, checks: 3, operations: [{ status: "SUCCEEDED", announcement: "published" }] });
    expect(s.clock.now() - t0).toBe(6_000);
    expect(answer.calls).toMatchObject({ aidp: 3, notifications: 1 });
    // Nothing left for the sweep.
    expect(await s.poll()).toMatchObject({ discovered: 0, tracked: 0, published: 0 });
  });

  it("backs off up to the sweep interval, stops at the work deadline and leaves the operation to the sweep", async () => {
    const s = await start();
    const t0 = s.clock.now();
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 600_000 }));
    // The harness gives track 60 s (work deadline 55 s): checks at 0, 2, 6, 14, 24, 34, 44, 54 s.
    const answer = await s.clock.runUntilSettled(s.track({ aiDataPlatformId: PLATFORM, asyncOperationKey: key }));
    expect(answer).toMatchObject({ tracked: 1, published: 0, checks: 8, operations: [{ status: "IN_PROGRESS" }] });
    expect(s.clock.now() - t0).toBe(54_000);
    // The registration stays: the sweep picks it up.
    expect(await s.clock.runUntilSettled(s.poll({ deadlineMs: 30_000 }))).toMatchObject({
      discovered: 1,
      tracked: 1,
      loopExit: "deadline",
    });
  });

  it("interval 0: one check, as before", async () => {
    const s = await start({ AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "0" });
    const { key } = s.aidp.addOperation(PLATFORM, op({ durationMs: 5_000 }));
    expect(await s.track({ aiDataPlatformId: PLATFORM, asyncOperationKey: key })).toMatchObject({
      checks: 1,
      published: 0,
      operations: [{ status: "IN_PROGRESS" }],
    });
  });
});
