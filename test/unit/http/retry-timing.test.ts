import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, retryPolicy } from "../../../shared/http/retry-policy.js";
import { backoffCapMs, decideRetry, fullJitterDelayMs, parseRetryAfter } from "../../../shared/http/retry-timing.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";
import { seededRandom } from "../../support/seeded-random.js";

const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 2_000, maxAttempts: 6, minAttemptMs: 50 });

describe("full-jitter backoff", () => {
  it("caps grow exponentially up to maxDelayMs", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffCapMs(policy, n))).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
    expect(backoffCapMs(policy, 1_000)).toBe(2000);
  });

  it("every delay lies in [0, cap] (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (n, r) => {
        const d = fullJitterDelayMs(policy, n, () => r);
        return Number.isInteger(d) && d >= 0 && d <= backoffCapMs(policy, n);
      }),
    );
  });

  it("spreads delays over the whole range (seeded), not just near the cap", () => {
    const random = seededRandom(42);
    const samples = Array.from({ length: 2_000 }, () => fullJitterDelayMs(policy, 3, random));
    expect(Math.min(...samples)).toBeLessThan(80);
    expect(Math.max(...samples)).toBeGreaterThan(720);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(350);
    expect(mean).toBeLessThan(450);
  });

  it("is deterministic for a seed", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const seq = (r: () => number) => [0, 1, 2, 3].map((n) => fullJitterDelayMs(policy, n, r));
    expect(seq(a)).toEqual(seq(b));
  });
});

describe("Retry-After parsing", () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  it("reads delta-seconds, fractions included", () => {
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1_500);
    expect(parseRetryAfter("0", now)).toBe(0);
  });
  it("reads HTTP-dates relative to now, past dates as 0", () => {
    expect(parseRetryAfter(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now)).toBe(0);
  });
  it("ignores garbage", () => {
    for (const v of [null, undefined, "", "-1", "soon", "1e3", "12abc"]) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe("decideRetry", () => {
  const base = { policy, attempts: 1, remainingMs: 60_000, random: () => 0.5 } as const;

  it("Retry-After takes precedence over the backoff, even when longer than maxDelayMs", () => {
    expect(decideRetry({ ...base, retryAfterMs: 5_000 })).toEqual({ retry: true, delayMs: 5_000 });
    expect(decideRetry({ ...base, retryAfterMs: 0 })).toEqual({ retry: true, delayMs: 0 });
    // without it, full jitter below the cap
    const d = decideRetry({ ...base, attempts: 3 });
    expect(d.retry && d.delayMs <= backoffCapMs(policy, 2)).toBe(true);
  });

  it("refuses a Retry-After longer than maxRetryAfterMs", () => {
    expect(decideRetry({ ...base, retryAfterMs: 120_000 })).toMatchObject({ retry: false, reason: "retry-after-too-long" });
  });

  it("stops after maxAttempts", () => {
    expect(decideRetry({ ...base, attempts: 6 })).toEqual({ retry: false, reason: "attempts-exhausted" });
  });

  it("cuts off at the deadline: no retry whose wait + minAttemptMs would pass it", () => {
    expect(decideRetry({ ...base, retryAfterMs: 1_000, remainingMs: 1_049 })).toEqual({ retry: false, reason: "deadline", delayMs: 1_000 });
    expect(decideRetry({ ...base, retryAfterMs: 1_000, remainingMs: 1_050 })).toEqual({ retry: true, delayMs: 1_000 });
  });

  it("never schedules a retry past the deadline (property, with a fake clock's deadline)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: undefined }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (attempts, budget, retryAfterMs, seed) => {
          const clock = new FakeClock();
          const deadline = Deadline.in(budget, clock);
          const d = decideRetry({
            policy: DEFAULT_RETRY_POLICY,
            attempts,
            retryAfterMs,
            remainingMs: deadline.remainingMs(),
            random: seededRandom(seed),
          });
          return !d.retry || deadline.allows(d.delayMs + DEFAULT_RETRY_POLICY.minAttemptMs);
        },
      ),
    );
  });

  it("policy defaults are documented values and overrides are validated", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({
      maxAttempts: 5,
      baseDelayMs: 250,
      maxDelayMs: 8_000,
      retryableStatuses: [429, 500, 502, 503, 504],
      attemptTimeoutMs: 15_000,
    });
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow();
    expect(() => retryPolicy({ maxAtempts: 3 } as never)).toThrow();
  });
});
