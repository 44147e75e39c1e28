import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateKeyPair, provisionCredentials } from "../../../emulator/credentials.js";
import { ServiceError as EmuServiceError } from "../../../emulator/http/service-error.js";
import type { EmuRequest } from "../../../emulator/http/types.js";
import { type Emulator, type EmulatorService, startEmulator } from "../../../emulator/server.js";
import {
  DeadlineExceededError,
  HttpError,
  InvalidResponseError,
  NetworkError,
  RequestAbortedError,
  ServiceError,
  TimeoutError,
} from "../../../shared/http/http-errors.js";
import { AsciiText } from "../../../shared/decode/ascii-text.js";
import { retryPolicy } from "../../../shared/http/retry-policy.js";
import { SignedHttpClient } from "../../../shared/http/signed-http-client.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";

// A test-only service: the HTTP core is proven against the real emulator
// (signature verification, fault injection), not against a mocked fetch.
interface TestState {
  postTokens: string[];
  postFailuresLeft: number;
  dateFailuresLeft: number;
}
function testService(state: TestState): () => EmulatorService {
  return () => ({
    name: "t",
    routes: () => [
      {
        method: "GET",
        pattern: "/20260430/t/items/:id",
        name: "t.get",
        handler: (r: EmuRequest) => ({
          status: 200,
          headers: { etag: `"e-${r.params.id}"` },
          body: { id: r.params.id, principal: r.principal, q: r.query.get("q") },
        }),
      },
      {
        method: "POST",
        pattern: "/20260430/t/items/:id/actions/do",
        name: "t.post",
        handler: (r: EmuRequest) => {
          state.postTokens.push(String(r.headers["opc-retry-token"]));
          if (state.postFailuresLeft > 0) {
            state.postFailuresLeft--;
            throw new EmuServiceError(503, "ServiceUnavailable", "try again");
          }
          return { status: 200, body: { got: JSON.parse(r.body.toString("utf8")) as unknown } };
        },
      },
      {
        method: "GET",
        pattern: "/20260430/t/large",
        name: "t.large",
        handler: () => ({ status: 200, body: LARGE_BODY }),
      },
      {
        method: "GET",
        pattern: "/20260430/t/retry-date",
        name: "t.retryDate",
        handler: () => {
          if (state.dateFailuresLeft > 0) {
            state.dateFailuresLeft--;
            throw new EmuServiceError(429, "TooManyRequests", "slow down", { "retry-after": new Date(Date.now() + 1_500).toUTCString() });
          }
          return { status: 200, body: { id: "ok", principal: "x", q: null } };
        },
      },
    ],
  });
}

/** A response with one long base64 value (kept as bytes) and one long non-ASCII string (parsed as JSON.parse would). */
const LARGE_BODY = {
  id: "big",
  value: Buffer.alloc(150_000, 7).toString("base64"),
  note: 'é"'.repeat(40_000),
  parts: [{ value: "short" }],
};
const LargeSchema = z.object({
  id: z.string(),
  value: z.instanceof(AsciiText),
  note: z.string(),
  parts: z.array(z.object({ value: z.string() })),
});

const ItemSchema = z.object({ id: z.string(), principal: z.string(), q: z.string().nullable() });
const fast = retryPolicy({ baseDelayMs: 20, maxDelayMs: 100, attemptTimeoutMs: 5_000 });

describe("signed HTTP core against the emulator", () => {
  let emu: Emulator;
  let dir: string;
  let provider: common.ConfigFileAuthenticationDetailsProvider;
  const state: TestState = { postTokens: [], postFailuresLeft: 0, dateFailuresLeft: 0 };
  const client = (policy = fast) => new SignedHttpClient({ provider, retryPolicy: policy });
  const url = (p: string) => `${emu.url}/20260430/t${p}`;
  const get = (c: SignedHttpClient, deadline = Deadline.in(30_000), extra: { requestId?: string; signal?: AbortSignal } = {}) =>
    c.request({ method: "GET", url: url("/items/a%20b?q=x%3Dy"), operation: "t.get", schema: ItemSchema }, { deadline, ...extra });

  beforeAll(async () => {
    emu = await startEmulator({ services: [testService(state)] });
    dir = mkdtempSync(join(tmpdir(), "aidp-http-"));
    provider = new common.ConfigFileAuthenticationDetailsProvider(provisionCredentials(dir, emu.registry).configFile, "DEFAULT");
  });
  afterEach(() => {
    emu.faults.clear();
    emu.stats.reset();
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs GETs (encoded path and query), parses with the schema, returns ids and etag", async () => {
    const res = await get(client(), undefined, { requestId: "my-req-1" });
    expect(res.data).toEqual({ id: "a b", principal: "ocid1.user.oc1..emulatoruser", q: "x=y" });
    expect(res).toMatchObject({ status: 200, attempts: 1, clientRequestId: "my-req-1", opcRequestId: "my-req-1", etag: '"e-a b"' });
    const generated = await get(client());
    expect(generated.clientRequestId).toMatch(/^[0-9A-F]{32}$/);
    expect(generated.opcRequestId).toBe(generated.clientRequestId);
  });

  it("a wrong key gives a typed ServiceError 401 with the request ids, not retried", async () => {
    const other = generateKeyPair();
    const rogue = new common.SimpleAuthenticationDetailsProvider(
      "ocid1.tenancy.oc1..emulatortenancy",
      "ocid1.user.oc1..emulatoruser",
      other.fingerprint,
      other.privateKeyPem,
      null,
    );
    const err = await get(new SignedHttpClient({ provider: rogue, retryPolicy: fast }), undefined, { requestId: "rogue-1" }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({
      status: 401,
      code: "NotAuthenticated",
      attempts: 1,
      clientRequestId: "rogue-1",
      opcRequestId: "rogue-1",
      operation: "t.get",
    });
    expect((err as ServiceError).endpoint).toBe(`GET ${emu.url}/20260430/t/items/a%20b`);
    expect((err as ServiceError).message).toContain("401 NotAuthenticated");
  });

  it("never retries other 4xx (404)", async () => {
    const err = await client()
      .request(
        { method: "GET", url: `${emu.url}/20260430/t/nothing`, operation: "t.none", schema: ItemSchema },
        { deadline: Deadline.in(10_000) },
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: "NotAuthorizedOrNotFound", attempts: 1 });
  });

  it("rides out a 429 storm, waiting Retry-After between attempts", async () => {
    emu.faults.add({ route: "t.get", status: 429, retryAfter: 0.2, times: 3 });
    const t0 = Date.now();
    const res = await get(client());
    expect(res.attempts).toBe(4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(580);
    expect(emu.stats.count("t.get")).toBe(4);
  });

  it("honours an HTTP-date Retry-After", async () => {
    state.dateFailuresLeft = 1;
    const t0 = Date.now();
    const res = await client().request(
      { method: "GET", url: url("/retry-date"), operation: "t.retryDate", schema: ItemSchema },
      { deadline: Deadline.in(10_000) },
    );
    expect(res.attempts).toBe(2);
    // HTTP-dates have 1 s resolution: the wait is 0.5–1.5 s, never the 20–100 ms backoff.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it("retries 500, 502, 503, 504 and then succeeds", async () => {
    for (const status of [500, 502, 503, 504]) emu.faults.add({ route: "t.get", status, times: 1 });
    const res = await get(client());
    expect(res.attempts).toBe(5);
    expect(res.data.id).toBe("a b");
  });

  it("gives the last ServiceError when attempts run out, with the attempt count", async () => {
    emu.faults.add({ route: "t.get", status: 503 });
    const err = await get(client(retryPolicy({ ...fast, maxAttempts: 3 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 503, code: "ServiceUnavailable", attempts: 3, deadlineLimited: false });
    expect(emu.stats.count("t.get")).toBe(3);
  });

  it("retries connection resets; a persistent reset is a NetworkError", async () => {
    emu.faults.add({ route: "t.get", reset: true, times: 2 });
    expect((await get(client())).attempts).toBe(3);
    emu.faults.clear();
    emu.faults.add({ route: "t.get", reset: true });
    const err = await get(client(retryPolicy({ ...fast, maxAttempts: 2 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ attempts: 2 });
    expect((err as NetworkError).message).toMatch(/network error/);
  });

  it("a body cut short is a NetworkError after its retries, never a short answer", async () => {
    // A raw server: headers promise 100 bytes, 11 arrive, the connection drops.
    let attempts = 0;
    const raw = createNetServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => {
        attempts++;
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":"a",');
        setTimeout(() => socket.destroy(), 5);
      });
    });
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
    try {
      const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/20260430/t/items/a`;
      const err = await client(retryPolicy({ ...fast, maxAttempts: 2 }))
        .request({ method: "GET", url: rawUrl, operation: "t.get", schema: ItemSchema }, { deadline: Deadline.in(30_000) })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetworkError);
      expect(attempts).toBe(2);
    } finally {
      await new Promise((r) => raw.close(r));
    }
  });

  it("cuts a hanging attempt with the per-attempt timeout and retries", async () => {
    emu.faults.add({ route: "t.get", hang: true, times: 1 });
    const t0 = Date.now();
    const res = await get(client(retryPolicy({ ...fast, attemptTimeoutMs: 300 })));
    expect(res.attempts).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    emu.faults.add({ route: "t.get", hang: true });
    const err = await get(client(retryPolicy({ ...fast, attemptTimeoutMs: 200, maxAttempts: 2 }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).not.toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ timeoutMs: 200, attempts: 2 });
  });

  it("a hang is cut at the deadline when that comes first (DeadlineExceededError)", async () => {
    emu.faults.add({ route: "t.get", hang: true });
    const t0 = Date.now();
    const err = await get(client(retryPolicy({ ...fast, attemptTimeoutMs: 30_000 })), Deadline.in(400)).catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ deadlineLimited: true, attempts: 1 });
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(2_000);
  });

  it("fails at once, marked deadline-limited, when Retry-After would pass the deadline", async () => {
    emu.faults.add({ route: "t.get", status: 429, retryAfter: 5 });
    const t0 = Date.now();
    const err = await get(client(), Deadline.in(2_000)).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 429, code: "TooManyRequests", attempts: 1, deadlineLimited: true });
    expect((err as ServiceError).retryAfterMs).toBe(5_000);
    expect((err as ServiceError).context.deadlineLimited).toBe(true);
  });

  it("a deadline cuts a backoff schedule short, well before the full retry budget", async () => {
    emu.faults.add({ route: "t.get", status: 503 });
    // Full budget: 9 waits of up to 1, 2, 4, 8, 8… s ≈ 51 s; the deadline allows 1.5 s.
    const policy = retryPolicy({ maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 8_000, minAttemptMs: 100 });
    const t0 = Date.now();
    const err = await get(client(policy), Deadline.in(1_500)).catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 503, deadlineLimited: true });
    expect((err as ServiceError).attempts).toBeLessThan(10);
    expect(took).toBeLessThan(1_500);
  });

  it("an expired deadline fails before sending", async () => {
    const err = await get(client(), Deadline.in(-1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(emu.stats.count("t.get")).toBe(0);
  });

  it("POST sends one opc-retry-token on every attempt, a new one per call", async () => {
    state.postTokens = [];
    state.postFailuresLeft = 2;
    const post = () =>
      client().request(
        {
          method: "POST",
          url: url("/items/x/actions/do"),
          operation: "t.post",
          schema: z.object({ got: z.unknown() }),
          body: { hello: "wörld" },
        },
        { deadline: Deadline.in(10_000) },
      );
    const res = await post();
    expect(res.attempts).toBe(3);
    expect(res.data.got).toEqual({ hello: "wörld" });
    expect(state.postTokens).toHaveLength(3);
    expect(new Set(state.postTokens).size).toBe(1);
    expect(state.postTokens[0]).toBe(res.retryToken);
    expect(state.postTokens[0]!.length).toBeLessThanOrEqual(64);
    await post();
    expect(state.postTokens[3]).not.toBe(state.postTokens[0]);
  });

  it("malformed JSON is a typed InvalidResponseError, not retried", async () => {
    emu.faults.add({ route: "t.get", malformed: true, times: 1 });
    const err = await get(client()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ status: 200, attempts: 1, issues: [] });
    expect(emu.stats.count("t.get")).toBe(1);
  });

  it("a body that fails the schema gives InvalidResponseError with bounded zod issues", async () => {
    const wrong = z.object({
      id: z.number(),
      missing: z.string(),
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, z.string()])),
    });
    const err = await client()
      .request({ method: "GET", url: url("/items/1"), operation: "t.get", schema: wrong }, { deadline: Deadline.in(10_000) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    const issues = (err as InvalidResponseError).issues;
    expect(issues.length).toBe(10);
    expect(issues[0]).toMatchObject({ path: "id" });
    expect((err as InvalidResponseError).opcRequestId).toBeTruthy();
  });

  it("the caller's AbortSignal cancels a retry wait", async () => {
    emu.faults.add({ route: "t.get", status: 429, retryAfter: 10 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await get(client(), Deadline.in(60_000), { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestAbortedError);
  });

  it("rejects a caller's opc-retry-token longer than 64 characters before sending", async () => {
    state.postTokens = [];
    const err = await client()
      .request(
        { method: "POST", url: url("/items/x/actions/do"), operation: "t.post", schema: z.unknown(), retryToken: "t".repeat(65) },
        { deadline: Deadline.in(10_000) },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as Error).message).toContain("opc-retry-token");
    expect(state.postTokens).toEqual([]);
  });

  it("rejects an invalid caller opc-request-id before sending", async () => {
    const err = await get(client(), undefined, { requestId: "bad id!" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(emu.stats.count("t.get")).toBe(0);
  });

  it("sleeps through the injected Clock: the retry waits for fake time, Retry-After first", async () => {
    emu.faults.add({ route: "t.get", status: 429, retryAfter: 2, times: 1 });
    const clock = new FakeClock(Date.now());
    const c = new SignedHttpClient({ provider, clock, retryPolicy: fast });
    const pending = get(c, Deadline.in(60_000, clock));
    // The retry wait (due in exactly 2 s) is the only pending sleep once the 429 is handled.
    await waitFor(() => clock.pendingSleeps() === 1 && clock.nextDueAt() === clock.now() + 2_000);
    expect(emu.stats.count("t.get")).toBe(1);
    await clock.advance(1_999);
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.stats.count("t.get")).toBe(1);
    await clock.advance(1);
    const res = await pending;
    expect(res.attempts).toBe(2);
  });

  describe("largeStrings: the body parsed from its bytes", () => {
    const large = (c: SignedHttpClient, schema: z.ZodType = LargeSchema) =>
      c.request({ method: "GET", url: url("/large"), operation: "t.large", schema, largeStrings: true }, { deadline: Deadline.in(10_000) });

    it("keeps a long base64 string as AsciiText over the body's bytes; everything else as JSON.parse makes it", async () => {
      const res = await large(client());
      const data = res.data as z.infer<typeof LargeSchema>;
      expect(data.value).toBeInstanceOf(AsciiText);
      expect(data.value.toString()).toBe(LARGE_BODY.value);
      expect(data.note).toBe(LARGE_BODY.note);
      expect(data.parts).toEqual(LARGE_BODY.parts);
      expect(JSON.parse(JSON.stringify(data))).toEqual(LARGE_BODY);
      expect(res.opcRequestId).toBeTruthy();
    });

    it("the schema still validates: a wrong field is InvalidResponseError with its path and the request ids", async () => {
      const err = await large(client(), LargeSchema.extend({ id: z.number() })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err).toMatchObject({ status: 200, issues: [{ path: "id" }] });
      expect((err as InvalidResponseError).opcRequestId).toBeTruthy();
    });

    it("an error answer is a typed ServiceError read from the bytes (code, message, opc-request-id), retried as usual", async () => {
      emu.faults.add({ route: "t.large", status: 503, code: "ServiceUnavailable", message: "busy now", times: 1 });
      expect((await large(client())).attempts).toBe(2);
      emu.faults.add({ route: "t.large", status: 404, code: "NotAuthorizedOrNotFound", message: "no such thing" });
      const err = await large(client()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceError);
      expect(err).toMatchObject({ status: 404, code: "NotAuthorizedOrNotFound", attempts: 1 });
      expect((err as ServiceError).message).toMatch(/no such thing/);
      expect((err as ServiceError).opcRequestId).toBeTruthy();
    });

    it("malformed JSON is InvalidResponseError, not retried", async () => {
      emu.faults.add({ route: "t.large", malformed: true, times: 1 });
      const err = await large(client()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(emu.stats.count("t.large")).toBe(1);
    });
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
