import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import * as common from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../../emulator/credentials.js";
import { AidpClient } from "../../../shared/aidp/aidp-client.js";
import { DeadlineExceededError } from "../../../shared/http/http-errors.js";
import { retryPolicy } from "../../../shared/http/retry-policy.js";
import { OciNotifier } from "../../../shared/notify/oci-notifier.js";
import { createOciClients, type OciClients } from "../../../shared/oci/clients.js";
import { ObjectStoreError } from "../../../shared/storage/object-store.js";
import { OciObjectStore } from "../../../shared/storage/oci-object-store.js";
import { Deadline } from "../../../shared/time/deadline.js";

/**
 * A server that accepts every connection, reads what is sent and never
 * answers: the worst a service can do. Each client must end the call by its
 * deadline with a typed timeout error, and close the socket (the server sees
 * it go), not merely stop waiting for it.
 */
interface HungServer {
  readonly url: string;
  readonly sockets: Socket[];
  /** Sockets the client closed (we never close one before `close()`). */
  readonly closedByClient: Set<Socket>;
  close(): Promise<void>;
}

async function startHungServer(): Promise<HungServer> {
  const sockets: Socket[] = [];
  const closedByClient = new Set<Socket>();
  let closing = false;
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on("data", () => {});
    s.on("error", () => {});
    s.on("close", () => {
      if (!closing) closedByClient.add(s);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    closedByClient,
    close: async () => {
      closing = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const waitFor = async (cond: () => boolean, ms = 2_000) => {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe("every client against a server that accepts and never answers", () => {
  let hung: HungServer;
  let provider: common.AuthenticationDetailsProvider;
  let clients: OciClients;
  // The attempt timeout is longer than the deadline: the deadline is what cuts the call.
  const policy = retryPolicy({ attemptTimeoutMs: 15_000, baseDelayMs: 10, maxDelayMs: 20 });
  const DEADLINE_MS = 800;

  beforeAll(async () => {
    hung = await startHungServer();
    const keys = generateKeyPair();
    provider = new common.SimpleAuthenticationDetailsProvider(
      "ocid1.tenancy.oc1..hung",
      "ocid1.user.oc1..hung",
      keys.fingerprint,
      keys.privateKeyPem,
      null,
      common.Region.US_ASHBURN_1,
    );
    clients = createOciClients({ provider, objectStorageEndpoint: hung.url, notificationsEndpoint: hung.url });
  });
  afterAll(async () => {
    clients.close();
    await hung.close();
  });

  const timed = async (fn: () => Promise<unknown>) => {
    const before = hung.sockets.length;
    const t0 = Date.now();
    const error = await fn().then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = Date.now() - t0;
    const mine = hung.sockets.slice(before);
    // Every socket this call opened is closed by the client, soon after the call ended.
    const allClosed = await waitFor(() => mine.every((s) => hung.closedByClient.has(s)));
    return { error, ms, opened: mine.length, allClosed };
  };
  const causeOf = (e: unknown) => (e instanceof Error ? e.cause : undefined);

  it("AIDP (signed client): DeadlineExceededError at the deadline, socket closed", async () => {
    const aidp = new AidpClient({ provider, endpoint: hung.url, retryPolicy: policy });
    const r = await timed(() => aidp.getAsyncOperation("ocid1.aidataplatform.oc1..p", "k1", { deadline: Deadline.in(DEADLINE_MS) }));
    expect(r.error).toBeInstanceOf(DeadlineExceededError);
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 500);
    expect(r.opened).toBe(1);
    expect(r.allClosed).toBe(true);
  });

  it("Object Storage (SDK client): DeadlineExceededError at the deadline, socket closed", async () => {
    const store = new OciObjectStore({ client: await clients.objectStorage(), namespace: "ns", bucket: "b", retryPolicy: policy });
    const r = await timed(() => store.get("state/index.json", { deadline: Deadline.in(DEADLINE_MS) }));
    expect(r.error).toBeInstanceOf(ObjectStoreError);
    expect(causeOf(r.error)).toBeInstanceOf(DeadlineExceededError);
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 500);
    expect(r.opened).toBe(1);
    expect(r.allClosed).toBe(true);
  });

  it("Object Storage writes too (PutObject with a body)", async () => {
    const store = new OciObjectStore({ client: await clients.objectStorage(), namespace: "ns", bucket: "b", retryPolicy: policy });
    const r = await timed(() => store.put("claims/x.json", "{}", { ifNoneMatch: "*", deadline: Deadline.in(DEADLINE_MS) }));
    expect(causeOf(r.error)).toBeInstanceOf(DeadlineExceededError);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 500);
    expect(r.allClosed).toBe(true);
  });

  it("Notifications (SDK client): a typed failure at the deadline, socket closed, never retried blind", async () => {
    const notifier = new OciNotifier({ client: () => clients.notifications(), topicId: "ocid1.onstopic.oc1..t", retryPolicy: policy });
    const r = await timed(() => notifier.publish({ title: "t", body: "b" }, { deadline: Deadline.in(DEADLINE_MS) }));
    expect(causeOf(r.error)).toBeInstanceOf(DeadlineExceededError);
    expect(r.ms).toBeLessThan(DEADLINE_MS + 500);
    expect(r.opened).toBe(1);
    expect(r.allClosed).toBe(true);
  });

  it("a client built long before keeps no deadline of its own: each call is bounded by its own", async () => {
    // Same cached client as above; a longer deadline now gives a longer wait, a shorter one a shorter.
    const store = new OciObjectStore({ client: await clients.objectStorage(), namespace: "ns", bucket: "b", retryPolicy: policy });
    const short = await timed(() => store.head("a", { deadline: Deadline.in(300) }));
    const long = await timed(() => store.head("a", { deadline: Deadline.in(1_200) }));
    expect(short.ms).toBeLessThan(800);
    expect(long.ms).toBeGreaterThanOrEqual(1_150);
  });
});
