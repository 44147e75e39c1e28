import { describe, expect, it } from "vitest";
import { DecodeError } from "../../../shared/decode/errors.js";
import { failureKind, isTransient, withTransientRetry } from "../../../shared/export/transient-retry.js";
import { DeadlineExceededError, NetworkError, ServiceError } from "../../../shared/http/http-errors.js";
import { retryPolicy } from "../../../shared/http/retry-policy.js";
import { silentLogger } from "../../../shared/log/logger.js";
import { ObjectStoreError, PreconditionFailedError } from "../../../shared/storage/object-store.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";

const details = { operation: "os.uploadPart", endpoint: "PUT http://x" };
const wrapped = (cause: Error) => new ObjectStoreError("upload failed", { cause });

describe("transient retry of streamed parts", () => {
  it("classifies by the HttpError in the cause chain", () => {
    expect(isTransient(wrapped(new ServiceError(503, "ServiceUnavailable", "x", details)))).toBe(true);
    expect(isTransient(wrapped(new NetworkError("reset", details)))).toBe(true);
    expect(isTransient(wrapped(new ServiceError(400, "InvalidParameter", "x", details)))).toBe(false);
    expect(isTransient(wrapped(new DeadlineExceededError({ ...details, deadline: "now" })))).toBe(false);
    expect(isTransient(new PreconditionFailedError("412"))).toBe(false);
    expect(failureKind(new DecodeError("bad"))).toBeUndefined();
  });

  it("retries transient failures with backoff, then succeeds; never retries a final one", async () => {
    const clock = new FakeClock();
    const ctx = { deadline: Deadline.in(60_000, clock), clock, logger: silentLogger, policy: retryPolicy({ baseDelayMs: 100 }), random: () => 0.5 };
    let calls = 0;
    const p = withTransientRetry("op", ctx, async () => {
      calls++;
      if (calls < 3) throw wrapped(new ServiceError(503, "ServiceUnavailable", "x", details));
      return "ok";
    });
    for (let i = 0; i < 10 && calls < 3; i++) await clock.advance(1000);
    expect(await p).toBe("ok");
    expect(calls).toBe(3);

    let finals = 0;
    await expect(
      withTransientRetry("op", ctx, async () => {
        finals++;
        throw wrapped(new ServiceError(400, "InvalidParameter", "x", details));
      }),
    ).rejects.toThrow(/upload failed/);
    expect(finals).toBe(1);
  });

  it("stops when the deadline leaves no room for another attempt", async () => {
    const clock = new FakeClock();
    let calls = 0;
    await expect(
      withTransientRetry("op", { deadline: Deadline.in(100, clock), clock, logger: silentLogger }, async () => {
        calls++;
        throw wrapped(new ServiceError(503, "ServiceUnavailable", "x", details));
      }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
