import { describe, expect, it } from "vitest";
import { Scheduler } from "../../../stack/scheduler.js";
import { FakeClock } from "../../support/fake-clock.js";

function gate() {
  let open: () => void = () => {};
  const p = new Promise<void>((r) => {
    open = r;
  });
  return { p, open };
}

const tickOver = () => new Promise<void>((r) => setImmediate(r));

describe("Scheduler", () => {
  it("invokes immediately, then every interval", async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const s = new Scheduler({ intervalMs: 1000, clock, invoke: async (tick) => void seen.push(tick) });
    s.start();
    await tickOver();
    expect(seen).toEqual([1]);
    await clock.advance(999);
    expect(seen).toEqual([1]);
    await clock.advance(1);
    await clock.advance(1000);
    await tickOver();
    expect(seen).toEqual([1, 2, 3]);
    await s.stop();
    await clock.advance(5000);
    expect(seen).toEqual([1, 2, 3]);
    expect(s.completed).toBe(3);
  });

  it("skips a tick while the previous invocation still runs", async () => {
    const clock = new FakeClock();
    const g = gate();
    let calls = 0;
    const s = new Scheduler({
      intervalMs: 1000,
      clock,
      invoke: async () => {
        calls++;
        if (calls === 1) await g.p;
      },
    });
    s.start();
    await tickOver();
    await clock.advance(1000);
    await clock.advance(1000);
    expect(calls).toBe(1);
    expect(s.skipped).toBe(2);
    g.open();
    await tickOver();
    await clock.advance(1000);
    await tickOver();
    expect(calls).toBe(2);
    await s.stop();
  });

  it("overlaps when configured to, like a real OCI schedule", async () => {
    const clock = new FakeClock();
    const g = gate();
    let calls = 0;
    const s = new Scheduler({
      intervalMs: 1000,
      clock,
      allowOverlap: true,
      invoke: async () => {
        calls++;
        await g.p;
      },
    });
    s.start();
    await tickOver();
    await clock.advance(2000);
    expect(calls).toBe(3);
    expect(s.running).toBe(3);
    g.open();
    await s.stop();
    expect(s.running).toBe(0);
    expect(s.skipped).toBe(0);
  });

  it("reports failures and keeps going", async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const s = new Scheduler({
      intervalMs: 500,
      clock,
      invoke: async () => {
        calls++;
        if (calls === 1) throw new Error("boom");
        return calls;
      },
      onError: (e) => errors.push(e),
    });
    s.start();
    await tickOver();
    await clock.advance(500);
    await tickOver();
    expect(errors).toHaveLength(1);
    expect(s.failed).toBe(1);
    expect(s.completed).toBe(1);
    await s.stop();
  });

  it("stop waits for the invocation in flight", async () => {
    const clock = new FakeClock();
    const g = gate();
    let finished = false;
    const s = new Scheduler({
      intervalMs: 1000,
      clock,
      invoke: async () => {
        await g.p;
        finished = true;
      },
    });
    s.start();
    await tickOver();
    const stopped = s.stop();
    setTimeout(() => g.open(), 20);
    await stopped;
    expect(finished).toBe(true);
  });
});
