import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { op, PLATFORM, startWatchStack, TOPIC, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;
let stack: WatchStack;

beforeEach(async () => {
  stack = await startWatchStack();
});
afterEach(async () => {
  await stack.close();
});

describe("poll against the emulator", () => {
  it("announces every terminal status once, fetching only what changed", async () => {
    const keys = {
      ok: stack.aidp.addOperation(PLATFORM, op({ durationMs: 2 * MINUTE })).key,
      failed: stack.aidp.addOperation(
        PLATFORM,
        op({ durationMs: 2 * MINUTE, finalStatus: "FAILED", errorCode: "TableExists", errorMessage: "sales.q3.orders exists" }),
      ).key,
      canceled: stack.aidp.addOperation(
        PLATFORM,
        op({
          actionType: "RESTART_CLUSTER",
          resourceType: "CLUSTER",
          resourceName: "ws1.c1",
          durationMs: 2 * MINUTE,
          finalStatus: "CANCELED",
        }),
      ).key,
      odd: stack.aidp.addOperation(PLATFORM, op({ durationMs: 2 * MINUTE, finalStatus: "PARTIALLY_DONE" })).key,
      running: stack.aidp.addOperation(PLATFORM, op({ actionType: "BUNDLE_DEPLOY", resourceType: "BUNDLE_OPERATION", resourceName: "b1" }))
        .key,
    };
    const first = await stack.poll();
    expect(first).toMatchObject({ discovered: 5, tracked: 5, published: 0, failed: 0 });
    expect(stack.emu.stats.count("aidp.getAsyncOperation")).toBe(0);

    await stack.clock.advance(3 * MINUTE);
    const before = stack.emu.stats.snapshot();
    const second = await stack.poll();
    expect(second).toMatchObject({ changed: 4, published: 4, tracked: 1, failed: 0 });
    const after = stack.emu.stats.snapshot();
    expect((after["aidp.getAsyncOperation"] ?? 0) - (before["aidp.getAsyncOperation"] ?? 0)).toBe(4);
    expect(stack.announcedKeys().sort()).toEqual(
      [`${keys.ok}/SUCCEEDED`, `${keys.failed}/FAILED`, `${keys.canceled}/CANCELED`, `${keys.odd}/PARTIALLY_DONE`]
        .map((k) => `${PLATFORM}/${k}`)
        .sort(),
    );
    const failed = stack.ons.messages(TOPIC).find((m) => m.title?.startsWith("FAILED"))!;
    expect(failed.title).toBe("FAILED · CREATE_TABLE · sales.q3.orders");
    expect(failed.body).toContain("sales.q3.orders exists");
    expect(failed.body).toMatch(/Request IDs:\s+\S+/);
    expect(failed.messageType).toBe("RAW_TEXT");

    await stack.clock.advance(MINUTE);
    const gets = stack.emu.stats.count("aidp.getAsyncOperation");
    const third = await stack.poll();
    expect(third.published).toBe(0);
    expect(stack.emu.stats.count("aidp.getAsyncOperation")).toBe(gets);

    stack.aidp.setOperationStatus(PLATFORM, keys.running, "SUCCEEDED");
    await stack.clock.advance(MINUTE);
    await stack.poll();
    expect(stack.announcedKeys()).toContain(`${PLATFORM}/${keys.running}/SUCCEEDED`);
    expect(stack.ons.messages(TOPIC)).toHaveLength(5);
  });

  it("catches an operation that starts and ends between two sweeps", async () => {
    await stack.poll();
    await stack.clock.advance(MINUTE);
    const { key } = stack.aidp.addOperation(PLATFORM, op({ durationMs: 10_000, finalStatus: "FAILED", errorMessage: "quick failure" }));
    await stack.clock.advance(MINUTE);
    await stack.poll();
    expect(stack.announcedKeys()).toEqual([`${PLATFORM}/${key}/FAILED`]);
    expect(stack.ons.messages(TOPIC)[0]!.body).toContain("quick failure");
    await stack.clock.advance(MINUTE);
    await stack.poll();
    expect(stack.ons.messages(TOPIC)).toHaveLength(1);
  });

  it("renders the JSON body format for machine subscribers", async () => {
    await stack.close();
    stack = await startWatchStack({ env: { AIDP_WATCH_MESSAGE_FORMAT: "json", AIDP_WATCH_DISPLAY_TIME_ZONE: "Europe/Paris" } });
    const { key } = stack.aidp.addOperation(PLATFORM, op({ durationMs: MINUTE }));
    await stack.poll();
    await stack.clock.advance(2 * MINUTE);
    await stack.poll();
    const [m] = stack.ons.messages(TOPIC);
    const doc = JSON.parse(m!.body) as Record<string, unknown>;
    expect(doc).toMatchObject({ status: "SUCCEEDED", operationKey: key, dedupeKey: `${PLATFORM}/${key}/SUCCEEDED`, truncated: false });
    expect(String(doc.timeStarted)).toContain("Europe/Paris");
  });
});
