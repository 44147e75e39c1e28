import { describe, expect, it } from "vitest";
import { forEachBounded, Semaphore } from "../../../shared/concurrency/semaphore.js";

describe("Semaphore / forEachBounded", () => {
  it("never runs more than the limit at once, and reports each outcome in order", async () => {
    let running = 0;
    let peak = 0;
    const results = await forEachBounded(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        if (i === 5) throw new Error("five");
        return i * 2;
      },
    );
    expect(peak).toBe(3);
    expect(results[4]).toEqual({ started: true, ok: true, value: 8 });
    expect(results[5]).toMatchObject({ started: true, ok: false });
  });

  it("does not start items once canStart says no", async () => {
    let n = 0;
    const results = await forEachBounded(
      [1, 2, 3, 4],
      1,
      async (x) => x,
      () => n++ < 2,
    );
    expect(results.map((r) => r.started)).toEqual([true, true, false, false]);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe("late arrivals never push the Semaphore over its limit", () => {
  it("callers arriving exactly as a task settles wait their turn (limits 1–3; the old free-then-wake release peaked at limit + 1)", async () => {
    for (const limit of [1, 2, 3]) {
      const sem = new Semaphore(limit);
      let running = 0;
      let peak = 0;
      const all: Array<Promise<void>> = [];
      const job = () =>
        sem.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await Promise.resolve();
          running--;
        });
      for (let i = 0; i < 50; i++) {
        const p = job();
        all.push(p);
        // Every few jobs, a new caller arrives exactly when one settles.
        if (i % 3 === 0) all.push(p.then(job));
      }
      await Promise.all(all);
      expect(peak).toBe(limit);
      expect(sem.running).toBe(0);
    }
  });
});
