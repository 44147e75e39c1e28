import { describe, expect, it } from "vitest";
import type { Clock } from "../../../shared/time/clock.js";
import { Deadline } from "../../../shared/time/deadline.js";

const fixed = (t: number): Clock => ({ now: () => t, sleep: async () => {} });

describe("Deadline", () => {
  it("parses Fn-Deadline and keeps a reserve", () => {
    const clock = fixed(Date.parse("2026-01-01T00:00:00Z"));
    const d = Deadline.fromFnDeadline("2026-01-01T00:00:30Z", 60_000, 5_000, clock);
    expect(d.remainingMs()).toBe(25_000);
    expect(d.allows(25_000)).toBe(true);
    expect(d.allows(25_001)).toBe(false);
  });

  it("falls back to a default budget when the header is missing or invalid", () => {
    const clock = fixed(1_000);
    expect(Deadline.fromFnDeadline(undefined, 60_000, 0, clock).remainingMs()).toBe(60_000);
    expect(Deadline.fromFnDeadline("not a date", 10_000, 0, clock).remainingMs()).toBe(10_000);
  });

  it("minus and capped never extend a deadline", () => {
    const clock = fixed(0);
    const d = Deadline.at(10_000, clock);
    expect(d.minus(3_000).remainingMs()).toBe(7_000);
    expect(d.capped(2_000).remainingMs()).toBe(2_000);
    expect(d.capped(20_000).remainingMs()).toBe(10_000);
    expect(Deadline.at(-1, clock).expired).toBe(true);
  });
});
