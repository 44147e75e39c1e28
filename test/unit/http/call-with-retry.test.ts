import { describe, expect, it } from "vitest";
import { callWithRetry } from "../../../shared/http/call-with-retry.js";
import {
  DeadlineExceededError,
  type HttpErrorDetails,
  InvalidResponseError,
  NetworkError,
  RequestAbortedError,
  ServiceError,
  TimeoutError,
} from "../../../shared/http/http-errors.js";
import { classifyFailure } from "../../../shared/http/retry-classification.js";
import { DEFAULT_RETRY_POLICY, retryPolicy } from "../../../shared/http/retry-policy.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";

const details: HttpErrorDetails = { operation: "t.op", endpoint: "GET http://x/y" };
const svc = (status: number, code = "X", retryAfterMs?: number) => new ServiceError(status, code, "m", { ...details, retryAfterMs });
const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 4, attemptTimeoutMs: 5_000, minAttemptMs: 10 });

/** Runs a call on a fake clock until it settles. */
async function settle<T>(clock: FakeClock, p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let out: { value?: T; error?: unknown } | undefined;
  p.then(
    (value) => {
      out = { value };
    },
    (error: unknown) => {
      out = { error };
    },
  );
  for (let i = 0; i < 200 && out === undefined; i++) {
    await new Promise<void>((r) => setImmediate(r));
    const due = clock.nextDueAt();
    if (due !== undefined) await clock.advanceTo(due);
  }
  if (!out) throw new Error("call never settled");
  return out;
}

describe("the classification table", () => {
  const c = (e: unknown, idempotent = true) => classifyFailure(e, DEFAULT_RETRY_POLICY, idempotent).retryable;
  it("retries 429, 500, 502, 503, 504, network errors and attempt timeouts", () => {
    for (const s of [429, 500, 502, 503, 504]) expect(c(svc(s))).toBe(true);
    expect(c(new NetworkError("reset", { ...details, code: "ECONNRESET" }))).toBe(true);
    expect(c(new TimeoutError(100, details))).toBe(true);
  });
  it("never retries other 4xx (409 IncorrectState included), 501, the deadline, an abort or a bad body", () => {
    for (const s of [400, 401, 403, 404, 412, 501]) expect(c(svc(s))).toBe(false);
    expect(c(svc(409, "Conflict"))).toBe(false);
    expect(c(svc(409, "IncorrectState"))).toBe(false);
    expect(c(new DeadlineExceededError({ ...details, deadline: "now" }))).toBe(false);
    expect(c(new RequestAbortedError(details))).toBe(false);
    expect(c(new InvalidResponseError("bad", { ...details, status: 200 }))).toBe(false);
  });
  it("never retries a programming error", () => {
    expect(c(new TypeError("x is undefined"))).toBe(false);
    expect(c(new RangeError("bad"))).toBe(false);
    expect(c({ message: "fetch failed" })).toBe(false);
  });
  it("retries a non-idempotent call only when the service surely did not act on it", () => {
    expect(c(svc(429), false)).toBe(true);
    expect(c(new NetworkError("refused", { ...details, code: "ECONNREFUSED" }), false)).toBe(true);
    expect(c(svc(503), false)).toBe(false);
    expect(c(new NetworkError("reset", { ...details, code: "ECONNRESET" }), false)).toBe(false);
    expect(c(new TimeoutError(100, details), false)).toBe(false);
  });
});

describe("callWithRetry (the one retry loop)", () => {
  it("retries a retryable failure up to maxAttempts and records the attempts on the final error", async () => {
    const clock = new FakeClock();
    let n = 0;
    const r = await settle(
      clock,
      callWithRetry({ operation: "t.op", endpoint: "e", deadline: Deadline.in(60_000, clock), policy, clock }, async () => {
        n++;
        throw svc(503);
      }),
    );
    expect(n).toBe(4);
    expect(r.error).toBeInstanceOf(ServiceError);
    expect(r.error).toMatchObject({ attempts: 4, deadlineLimited: false });
  });

  it("never retries a programming error: one attempt, the same error", async () => {
    const clock = new FakeClock();
    let n = 0;
    const bug = new TypeError("cannot read properties of undefined");
    const r = await settle(
      clock,
      callWithRetry(
        { operation: "t.op", endpoint: "e", deadline: Deadline.in(60_000, clock), policy, clock, toHttpError: (e) => e },
        async () => {
          n++;
          throw bug;
        },
      ),
    );
    expect(n).toBe(1);
    expect(r.error).toBe(bug);
  });

  it("waits Retry-After before the next attempt", async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    const r = await settle(
      clock,
      callWithRetry({ operation: "t.op", endpoint: "e", deadline: Deadline.in(60_000, clock), policy, clock }, async () => {
        times.push(clock.now());
        if (times.length < 3) throw svc(429, "TooManyRequests", 3_000);
        return "ok";
      }),
    );
    expect(r.value).toBe("ok");
    expect(times.map((t) => t - times[0]!)).toEqual([0, 3_000, 6_000]);
  });

  it("stops retrying when the next wait would pass the deadline, marking the error deadline-limited", async () => {
    const clock = new FakeClock();
    let n = 0;
    const r = await settle(
      clock,
      callWithRetry({ operation: "t.op", endpoint: "e", deadline: Deadline.in(2_000, clock), policy, clock }, async () => {
        n++;
        throw svc(429, "TooManyRequests", 1_500);
      }),
    );
    expect(n).toBe(2);
    expect(r.error).toMatchObject({ status: 429, attempts: 2, deadlineLimited: true });
  });

  it("aborts an attempt that never answers: TimeoutError after attemptTimeoutMs, then DeadlineExceededError at the deadline", async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    const start = clock.now();
    const hang = ({ signal }: { signal: AbortSignal }) =>
      new Promise<never>((_, reject) => {
        signals.push(signal);
        signal.addEventListener("abort", () => reject(new Error("socket closed")), { once: true });
      });
    const r = await settle(
      clock,
      callWithRetry({ operation: "t.op", endpoint: "e", deadline: Deadline.in(8_000, clock), policy, clock }, hang),
    );
    expect(r.error).toBeInstanceOf(DeadlineExceededError);
    expect(clock.now() - start).toBeLessThanOrEqual(8_000);
    expect(signals.length).toBe(2); // 5 s timeout, a short wait, then the rest of the deadline
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it("a non-idempotent call is not retried after an ambiguous failure", async () => {
    const clock = new FakeClock();
    let n = 0;
    const r = await settle(
      clock,
      callWithRetry(
        { operation: "t.op", endpoint: "e", deadline: Deadline.in(60_000, clock), policy, clock, idempotent: false },
        async () => {
          n++;
          throw svc(502);
        },
      ),
    );
    expect(n).toBe(1);
    expect(r.error).toMatchObject({ status: 502, attempts: 1 });
  });

  it("the caller's signal ends the call with RequestAbortedError", async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = callWithRetry(
      { operation: "t.op", endpoint: "e", deadline: Deadline.in(60_000, clock), policy, clock, signal: ac.signal },
      () => new Promise<never>(() => {}),
    );
    ac.abort(new Error("stop"));
    await expect(p).rejects.toBeInstanceOf(RequestAbortedError);
  });
});
