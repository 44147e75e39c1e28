import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { op, PLATFORM, startWatchStack, TOPIC, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;

describe("a storm of 500 operations ending at once", () => {
  let stack: WatchStack;
  beforeAll(async () => {
    stack = await startWatchStack({
      enforceRateLimit: true,
      env: { AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE: "50", AIDP_WATCH_AIDP_CONCURRENCY: "8" },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("keeps to the budget with a digest, is never throttled, and announces each operation exactly once", async () => {
    const keys = Array.from(
      { length: 500 },
      (_, i) =>
        stack.aidp.addOperation(
          PLATFORM,
          op({ resourceName: `s.t${i}`, durationMs: 5 * MINUTE, finalStatus: i % 10 ? "SUCCEEDED" : "FAILED" }),
        ).key,
    );
    const first = await stack.poll();
    expect(first.tracked).toBe(500);
    await stack.clock.advance(6 * MINUTE);

    const storm = await stack.poll();
    expect(storm.published).toBeLessThanOrEqual(50);
    const afterStorm = stack.ons.messages(TOPIC);
    expect(afterStorm.length).toBeLessThanOrEqual(50);
    const digests = afterStorm.filter((m) => m.title?.startsWith("DIGEST"));
    expect(digests).toHaveLength(1);
    expect(Buffer.byteLength(JSON.stringify({ title: digests[0]!.title, body: digests[0]!.body }))).toBeLessThanOrEqual(64 * 1024);

    let minutes = 0;
    while (stack.announcedKeys().length < 500 && minutes < 10) {
      await stack.clock.advance(MINUTE);
      const s = await stack.poll();
      expect(s.published).toBeLessThanOrEqual(50);
      minutes++;
    }
    const announced = stack.announcedKeys();
    expect(announced).toHaveLength(500);
    expect(new Set(announced)).toEqual(new Set(keys.map((k, i) => `${PLATFORM}/${k}/${i % 10 ? "SUCCEEDED" : "FAILED"}`)));
    // The emulator enforces ONS's 60/min: a 429 would have shown as a failed publish.
    expect(stack.ons.messages(TOPIC).length).toBeLessThanOrEqual(50 * (minutes + 1));
  }, 180_000);
});
