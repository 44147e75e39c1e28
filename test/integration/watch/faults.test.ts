import { afterEach, describe, expect, it } from "vitest";
import { BUCKET, op, PLATFORM, startWatchStack, TOPIC, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;
let stack: WatchStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe("failures and time rules against the emulator", () => {
  it("leaves an announcement pending when ONS fails, and publishes it on the next sweep", async () => {
    stack = await startWatchStack();
    const { key } = stack.aidp.addOperation(PLATFORM, op({ durationMs: MINUTE }));
    await stack.poll();
    await stack.clock.advance(2 * MINUTE);
    stack.emu.faults.add({ route: "ons.publishMessage", status: 500, times: 1 });
    const s1 = await stack.poll();
    expect(s1).toMatchObject({ published: 0, failed: 1, tracked: 1 });
    // The failed publish gave its claim back: nothing blocks the retry.
    expect(stack.os.listObjectNames(BUCKET, "aidp-watch/announcements/")).toEqual([]);
    const s2 = await stack.poll();
    expect(s2).toMatchObject({ published: 1, tracked: 0 });
    expect(stack.announcedKeys()).toEqual([`${PLATFORM}/${key}/SUCCEEDED`]);
  });

  it("retries an ONS 429 (with Retry-After) within the deadline and publishes once", async () => {
    stack = await startWatchStack();
    stack.aidp.addOperation(PLATFORM, op({ durationMs: MINUTE }));
    await stack.poll();
    await stack.clock.advance(2 * MINUTE);
    stack.emu.faults.add({ route: "ons.publishMessage", status: 429, retryAfter: 1, times: 2 });
    const s = await stack.poll();
    expect(s).toMatchObject({ published: 1, failed: 0 });
    expect(stack.emu.stats.count("ons.publishMessage")).toBe(3);
    expect(stack.ons.messages(TOPIC)).toHaveLength(1);
  });

  it("announces LOST once after repeated 404s, then drops the operation", async () => {
    stack = await startWatchStack({ env: { AIDP_WATCH_NOT_FOUND_LIMIT: "3" } });
    const { key } = stack.aidp.addOperation(PLATFORM, op());
    await stack.poll();
    stack.aidp.removeOperation(PLATFORM, key);
    for (let i = 0; i < 5; i++) {
      await stack.clock.advance(MINUTE);
      await stack.poll();
    }
    expect(stack.announcedKeys()).toEqual([`${PLATFORM}/${key}/LOST`]);
    expect(stack.ons.messages(TOPIC)[0]!.title).toMatch(/^LOST · CREATE_TABLE/);
    expect(stack.emu.stats.count("aidp.getAsyncOperation")).toBe(3);
  });

  it("warns once for a long-running operation and gives up once past the maximum age", async () => {
    stack = await startWatchStack({ env: { AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES: "30", AIDP_WATCH_MAX_OPERATION_AGE_HOURS: "1" } });
    const { key } = stack.aidp.addOperation(
      PLATFORM,
      op({ actionType: "RESTART_CLUSTER", resourceType: "CLUSTER", resourceName: "ws.c1" }),
    );
    await stack.poll();
    for (let m = 0; m < 80; m += 10) {
      await stack.clock.advance(10 * MINUTE);
      await stack.poll();
    }
    expect(stack.announcedKeys()).toEqual([`${PLATFORM}/${key}/STILL_RUNNING`, `${PLATFORM}/${key}/GAVE_UP`]);
    const [warning, gaveUp] = stack.ons.messages(TOPIC);
    expect(warning!.title).toBe("STILL_RUNNING · RESTART_CLUSTER · ws.c1");
    expect(warning!.body).toMatch(/Running for 3\dm/);
    expect(gaveUp!.body).toContain("longer than the configured maximum age");
    // Still in progress in AIDP, but no longer tracked.
    const last = await stack.poll();
    expect(last.tracked).toBe(0);
  });

  it("reports an unreadable index as a failed platform, and the next sweep recovers", async () => {
    stack = await startWatchStack();
    const { key } = stack.aidp.addOperation(PLATFORM, op({ durationMs: MINUTE }));
    await stack.poll();
    await stack.clock.advance(2 * MINUTE);
    stack.emu.faults.add({ route: "os.getObject", status: 503, times: 20 });
    const s1 = await stack.poll();
    expect(s1.failed).toBeGreaterThan(0);
    expect(s1.complete).toBe(false);
    stack.emu.faults.clear();
    await stack.poll();
    expect(stack.announcedKeys()).toEqual([`${PLATFORM}/${key}/SUCCEEDED`]);
  });
});
