import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { provisionCredentials } from "../../../emulator/credentials.js";
import type { EmuRequest } from "../../../emulator/http/types.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AuthProvider, createAuthProvider } from "../../../shared/auth/create-auth-provider.js";
import { NetworkError, ServiceError } from "../../../shared/http/http-errors.js";
import { retryPolicy } from "../../../shared/http/retry-policy.js";
import { createOciClients, type OciClients } from "../../../shared/oci/clients.js";
import { sdkCall } from "../../../shared/oci/sdk-call.js";
import { toHttpError } from "../../../shared/oci/to-http-error.js";
import { Deadline } from "../../../shared/time/deadline.js";

// Test-only stand-ins for two SDK routes (GetNamespace, PublishMessage): enough
// to prove the factory's endpoint override, retry bounds, breaker and error mapping.
const sdkRoutes = () => ({
  name: "sdk",
  routes: () => [
    {
      method: "GET",
      pattern: "/n",
      name: "sdk.getNamespace",
      handler: () => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify("testns") }),
    },
    {
      method: "POST",
      pattern: "/20181201/topics/:topicId/messages",
      name: "sdk.publishMessage",
      handler: (r: EmuRequest) => ({ status: 200, body: { messageId: `m-${r.params.topicId}`, timeStamp: new Date(0).toISOString() } }),
    },
  ],
});

describe("OCI SDK client factory", () => {
  let emu: Emulator;
  let dir: string;
  let provider: AuthProvider;
  let clients: OciClients | undefined;
  const policy = retryPolicy({ baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 4 });
  const make = (endpoint = emu.url) =>
    (clients = createOciClients({ provider, objectStorageEndpoint: endpoint, notificationsEndpoint: endpoint }));
  const namespace = (c: OciClients, deadline = Deadline.in(30_000), p = policy) =>
    sdkCall({ operation: "os.getNamespace", deadline, policy: p }, async () => (await (await c.objectStorage()).getNamespace({})).value);

  beforeAll(async () => {
    emu = await startEmulator({ services: [sdkRoutes] });
    dir = mkdtempSync(join(tmpdir(), "aidp-sdk-"));
    provider = await createAuthProvider({ configFile: provisionCredentials(dir, emu.registry).configFile, env: {} });
  });
  afterEach(() => {
    clients?.close();
    clients = undefined;
    emu.faults.clear();
    emu.stats.reset();
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("talks to the endpoint override, signed, for Object Storage and Notifications", async () => {
    const c = make();
    expect((await (await c.objectStorage()).getNamespace({})).value).toBe("testns");
    const pub = await (await c.notifications()).publishMessage({
      topicId: "ocid1.onstopic.oc1..t",
      messageDetails: { title: "t", body: "b" },
    });
    expect(pub.publishResult.messageId).toBe("m-ocid1.onstopic.oc1..t");
  });

  it("builds each client once, on first use, and refuses new ones after close", async () => {
    const c = make();
    const [a, b] = await Promise.all([c.objectStorage(), c.objectStorage()]);
    expect(a).toBe(b);
    expect(await c.notifications()).toBe(await c.notifications());
    c.close();
    c.close();
    await expect(c.objectStorage()).rejects.toThrow(/closed/);
  });

  it("the client itself never retries: one request per call, the retry loop is ours", async () => {
    emu.faults.add({ route: "sdk.getNamespace", status: 503, times: 1 });
    const raw = await (await make().objectStorage()).getNamespace({}).catch((e: unknown) => e);
    expect(toHttpError(raw, { operation: "os.getNamespace" })).toMatchObject({ status: 503 });
    expect(emu.stats.count("sdk.getNamespace")).toBe(1);
  });

  it("retries 503 within the policy (maxAttempts) and recovers", async () => {
    emu.faults.add({ route: "sdk.getNamespace", status: 503, times: 2 });
    expect(await namespace(make())).toBe("testns");
    expect(emu.stats.count("sdk.getNamespace")).toBe(3);
  });

  it("stops at maxAttempts with a typed ServiceError; no circuit breaker opens (the SDK's default breaker is not switched off by the environment)", async () => {
    expect(process.env.OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED).toBeUndefined();
    emu.faults.add({ route: "sdk.getNamespace", status: 503 });
    const c = make();
    for (let i = 0; i < 4; i++) {
      const err = await namespace(c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceError);
      expect(err).toMatchObject({ status: 503, code: "ServiceUnavailable", operation: "os.getNamespace", attempts: 4 });
      expect((err as ServiceError).opcRequestId).toBeTruthy();
    }
    // 4 calls × 4 attempts all reached the server: a breaker (volume 10, 80 % errors) would have cut them short.
    expect(emu.stats.count("sdk.getNamespace")).toBe(16);
  });

  it("a call's deadline stops retries early and marks the error deadline-limited", async () => {
    emu.faults.add({ route: "sdk.getNamespace", status: 503 });
    const t0 = Date.now();
    const err = await namespace(
      make(),
      Deadline.in(300),
      retryPolicy({ baseDelayMs: 1_000, maxDelayMs: 4_000, maxAttempts: 8, minAttemptMs: 250 }),
    ).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(err).toMatchObject({ status: 503 });
    expect(emu.stats.count("sdk.getNamespace")).toBeLessThanOrEqual(2);
  });

  it("never retries a 404 and maps it with code and opc-request-id", async () => {
    const c = make();
    const raw = await (await c.objectStorage())
      .getObject({ namespaceName: "ns", bucketName: "b", objectName: "a/b c" })
      .catch((e: unknown) => e);
    const err = toHttpError(raw, { operation: "os.getObject" });
    expect(err).toMatchObject({ status: 404, code: "NotAuthorizedOrNotFound" });
    expect(emu.stats.count("*")).toBe(0); // no route: rejected before stats, but only once
  });

  it("maps the SDK's plain-object network error to NetworkError", async () => {
    const closed = await startEmulator({ services: [sdkRoutes], registry: emu.registry });
    const deadUrl = closed.url;
    await closed.close();
    const c = make(deadUrl);
    const raw = await (await c.objectStorage()).getNamespace({}).catch((e: unknown) => e);
    expect(raw).not.toBeInstanceOf(Error); // what oci-common throws: { message: "fetch failed", ... }
    const err = toHttpError(raw, { operation: "os.getNamespace" });
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.endpoint).toContain(deadUrl);
  });
});
