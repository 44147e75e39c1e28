import { describe, expect, it } from "vitest";
import { ScaledClock } from "../../../stack/scaled-clock.js";
import { FakeClock } from "../../support/fake-clock.js";

describe("ScaledClock", () => {
  it("advances speed× faster than its base from the given start", async () => {
    const base = new FakeClock();
    const clock = new ScaledClock(20, { base, startMs: 1_000_000 });
    expect(clock.now()).toBe(1_000_000);
    await base.advance(1_500);
    expect(clock.now()).toBe(1_000_000 + 30_000);
  });

  it("starts at the base's now by default", () => {
    const base = new FakeClock();
    expect(new ScaledClock(5, { base }).now()).toBe(base.now());
  });

  it("sleeps speed× shorter in base time", async () => {
    const base = new FakeClock();
    const clock = new ScaledClock(10, { base });
    let woke = false;
    const sleeping = clock.sleep(60_000).then(() => {
      woke = true;
    });
    await base.advance(5_999);
    expect(woke).toBe(false);
    await base.advance(1);
    await sleeping;
    expect(woke).toBe(true);
    expect(clock.now() - clock.startMs).toBe(60_000);
  });

  it("passes aborts through", async () => {
    const clock = new ScaledClock(2, { base: new FakeClock() });
    const abort = new AbortController();
    const p = clock.sleep(10_000, abort.signal);
    abort.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });

  it("rejects a speed that is not positive", () => {
    expect(() => new ScaledClock(0)).toThrow(RangeError);
    expect(() => new ScaledClock(Number.NaN)).toThrow(RangeError);
  });
});
