import { describe, expect, it } from "vitest";
import { DeliveryQueue } from "../../../stack/delivery-queue.js";

describe("DeliveryQueue", () => {
  it("bounds concurrency and runs everything", async () => {
    let active = 0;
    let peak = 0;
    const q = new DeliveryQueue({ concurrency: 2 });
    for (let i = 0; i < 6; i++) {
      q.push(`job ${i}`, async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
      });
    }
    await q.idle();
    expect(peak).toBe(2);
    expect(q.delivered).toBe(6);
  });

  it("retries a failed delivery, then gives up and reports it", async () => {
    const failures: Array<[number, boolean]> = [];
    let calls = 0;
    const q = new DeliveryQueue({ attempts: 3, retryDelayMs: 5, onFailure: (_l, _e, attempt, final) => failures.push([attempt, final]) });
    q.push("flaky", async () => {
      calls++;
      if (calls < 2) throw new Error("refused");
    });
    q.push("broken", async () => {
      throw new Error("always");
    });
    await q.idle();
    expect(q.delivered).toBe(1);
    expect(q.failed).toBe(1);
    expect(failures).toEqual([
      [1, false],
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it("close drops queued work and waits for what runs", async () => {
    const q = new DeliveryQueue({ concurrency: 1 });
    let ran = 0;
    for (let i = 0; i < 3; i++) {
      q.push(`j${i}`, async () => {
        await new Promise((r) => setTimeout(r, 20));
        ran++;
      });
    }
    await q.close();
    expect(ran).toBe(1);
    q.push("late", async () => {
      ran++;
    });
    await q.idle();
    expect(ran).toBe(1);
  });
});
