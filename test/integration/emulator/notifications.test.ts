import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import type { NotificationDataPlaneClient } from "oci-ons";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../../emulator/credentials.js";
import { type NotificationsEmulator, notificationsService, type PublishedMessage } from "../../../emulator/services/notifications/index.js";
import { FakeClock } from "../../support/fake-clock.js";
import { type EmulatorFixture, onsClient, rejection, startEmulatorFixture } from "../../support/sdk-clients.js";

const topicId = "ocid1.onstopic.oc1..aidpwatch";

describe("Notifications emulator through the real oci-ons client", () => {
  let fx: EmulatorFixture;
  let client: NotificationDataPlaneClient;
  let ons: NotificationsEmulator;
  let emailDir: string;
  let slack: Server;
  let slackUrl: string;
  const slackBodies: unknown[] = [];
  let slackStatus = 200;

  beforeAll(async () => {
    emailDir = mkdtempSync(join(tmpdir(), "aidp-ons-email-"));
    fx = await startEmulatorFixture([notificationsService({ topics: [topicId, "ocid1.onstopic.oc1..other"], emailDir })]);
    client = onsClient(fx.provider, fx.emu.url);
    ons = fx.emu.service<NotificationsEmulator>("notifications");
    slack = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        slackBodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(slackStatus).end(slackStatus === 200 ? "ok" : "no_service");
      });
    });
    slack.listen(0, "127.0.0.1");
    await once(slack, "listening");
    slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/secret`;
  });
  afterAll(async () => {
    client.close();
    await fx.close();
    slack.close();
    rmSync(emailDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fx.emu.faults.clear();
  });

  const publish = (messageDetails: { title?: string; body: string }, extra: Record<string, unknown> = {}, topic = topicId) =>
    client.publishMessage({ topicId: topic, messageDetails, ...extra });

  it("PublishMessage returns a messageId; the message is kept and announced to onMessage listeners", async () => {
    const heard: PublishedMessage[] = [];
    const off = ons.onMessage((m) => heard.push(m));
    const r = await publish({ title: "Task run SUCCEEDED", body: "run r-1 finished" });
    off();
    expect(r.publishResult.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.publishResult.timeStamp).toBeTruthy();
    const kept = ons.messages(topicId).find((m) => m.messageId === r.publishResult.messageId);
    expect(kept).toMatchObject({
      topicId,
      title: "Task run SUCCEEDED",
      body: "run r-1 finished",
      messageType: "RAW_TEXT",
      requestId: r.opcRequestId,
    });
    expect(new Date(kept!.receivedAt).toISOString()).toBe(kept!.receivedAt);
    expect(heard.map((m) => m.messageId)).toEqual([r.publishResult.messageId]);
    expect(ons.messages("ocid1.onstopic.oc1..other")).toEqual([]);
  });

  it("the admin endpoint lists published messages", async () => {
    const r = await publish({ body: "for the admin endpoint" });
    const listed = (await (
      await fetch(`${fx.emu.url}/_emulator/notifications/messages?topicId=${encodeURIComponent(topicId)}`)
    ).json()) as PublishedMessage[];
    expect(listed.some((m) => m.messageId === r.publishResult.messageId && m.title === undefined)).toBe(true);
  });

  it("messageType JSON needs a JSON body with a 'default' key (else 400)", async () => {
    const ok = await publish({ title: "t", body: JSON.stringify({ default: "plain", Email: "for email" }) }, { messageType: "JSON" });
    expect(ons.messages().find((m) => m.messageId === ok.publishResult.messageId)?.messageType).toBe("JSON");
    expect(await rejection(publish({ body: JSON.stringify({ Email: "x" }) }, { messageType: "JSON" }))).toMatchObject({
      statusCode: 400,
      serviceCode: "InvalidParameter",
    });
    expect(await rejection(publish({ body: "not json" }, { messageType: "JSON" }))).toMatchObject({ statusCode: 400 });
    expect(await rejection(publish({ body: "x" }, { messageType: "XML" }))).toMatchObject({ statusCode: 400 });
  });

  it("enforces 64 KB = 65,536 UTF-8 bytes of title + body (400 MessageTooLarge), counting multi-byte characters", async () => {
    const before = ons.messages().length;
    await publish({ title: "ü".repeat(10), body: "x".repeat(65_536 - 20) });
    expect(await rejection(publish({ title: "ü".repeat(10), body: "x".repeat(65_536 - 19) }))).toMatchObject({
      statusCode: 400,
      serviceCode: "MessageTooLarge",
    });
    expect(await rejection(publish({ body: "€".repeat(21_846) }))).toMatchObject({ statusCode: 400, serviceCode: "MessageTooLarge" });
    expect(ons.messages().length).toBe(before + 1);
  });

  it("an unknown topic is 404 NotAuthorizedOrNotFound", async () => {
    expect(await rejection(publish({ body: "x" }, {}, "ocid1.onstopic.oc1..nope"))).toMatchObject({
      statusCode: 404,
      serviceCode: "NotAuthorizedOrNotFound",
    });
  });

  it("EMAIL subscription: each message becomes <emailDir>/<topic>/<timestamp>-<messageId>.eml with Subject = title", async () => {
    ons.subscribe(topicId, { protocol: "EMAIL", address: "ops@example.com" });
    const r = await publish({ title: "Run r-2 FAILED — übel", body: "line 1\nline 2" });
    const r2 = await publish(
      { title: "JSON one", body: JSON.stringify({ default: "default text", EMAIL: "email text" }) },
      { messageType: "JSON" },
    );
    const dir = ons.emailFolder(topicId)!;
    expect(dir.startsWith(emailDir)).toBe(true);
    const files = readdirSync(dir);
    const file = files.find((f) => f.endsWith(`-${r.publishResult.messageId}.eml`));
    expect(file).toMatch(/^\d{8}T\d{9}Z-[0-9a-f-]{36}\.eml$/);
    const eml = readFileSync(join(dir, file!), "utf8");
    const [head, body] = eml.split("\r\n\r\n");
    expect(head).toContain("To: ops@example.com");
    expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from("Run r-2 FAILED — übel").toString("base64")}?=`);
    expect(head).toContain(`X-OCI-NS-MessageId: ${r.publishResult.messageId}`);
    expect(head).toContain("Content-Type: text/plain; charset=UTF-8");
    expect(head).toMatch(/^Date: .+GMT$/m);
    expect(body).toBe("line 1\r\nline 2");
    const jsonEml = readFileSync(join(dir, files.find((f) => f.includes(r2.publishResult.messageId))!), "utf8");
    expect(jsonEml).toContain("Subject: JSON one\r\n");
    expect(jsonEml.split("\r\n\r\n")[1]).toBe("email text");
    expect(ons.deliveries().filter((d) => d.protocol === "EMAIL" && d.ok).length).toBeGreaterThanOrEqual(2);
  });

  it("SLACK subscription POSTs {text: '*title*\\n body'}; a failing webhook is logged and never breaks publishing", async () => {
    ons.createTopic("ocid1.onstopic.oc1..slack");
    ons.subscribe("ocid1.onstopic.oc1..slack", { protocol: "SLACK", webhookUrl: slackUrl });
    const r = await publish({ title: "Done", body: "run r-3 ok" }, {}, "ocid1.onstopic.oc1..slack");
    await ons.flushDeliveries();
    expect(slackBodies).toContainEqual({ text: "*Done*\nrun r-3 ok" });

    slackStatus = 500;
    await publish({ title: "Again", body: "x" }, {}, "ocid1.onstopic.oc1..slack");
    ons.subscribe("ocid1.onstopic.oc1..slack", { protocol: "SLACK", webhookUrl: "http://127.0.0.1:9/unreachable" });
    const r3 = await publish({ body: "still accepted" }, {}, "ocid1.onstopic.oc1..slack");
    await ons.flushDeliveries();
    slackStatus = 200;
    expect(r3.publishResult.messageId).toBeTruthy();
    const log = ons.deliveries().filter((d) => d.protocol === "SLACK");
    expect(log.find((d) => d.messageId === r.publishResult.messageId)).toMatchObject({ ok: true, status: 200 });
    expect(log.filter((d) => !d.ok).map((d) => d.status ?? "network")).toEqual(expect.arrayContaining([500, "network"]));
    expect(JSON.stringify(log)).not.toContain("secret");
    const viaAdmin = (await (await fetch(`${fx.emu.url}/_emulator/notifications/deliveries`)).json()) as unknown[];
    expect(viaAdmin.length).toBe(ons.deliveries().length);
  });

  it("faults on ons.publishMessage: status + code, connection reset; nothing is kept", async () => {
    const before = ons.messages().length;
    fx.emu.faults.add({ route: "ons.publishMessage", status: 503, code: "ServiceUnavailable", retryAfter: 2, times: 1 });
    expect(await rejection(publish({ body: "x" }))).toMatchObject({ statusCode: 503, serviceCode: "ServiceUnavailable" });
    fx.emu.faults.add({ route: "ons.publishMessage", reset: true, times: 1 });
    expect((await rejection(publish({ body: "x" }))).statusCode).toBeUndefined();
    expect(ons.messages().length).toBe(before);
    await publish({ body: "after faults" });
    expect(ons.messages().length).toBe(before + 1);
  });

  it("rejects a publish signed with an unknown key (401 NotAuthenticated)", async () => {
    const k = generateKeyPair();
    const rogue = new common.SimpleAuthenticationDetailsProvider(
      "ocid1.tenancy.oc1..emulatortenancy",
      "ocid1.user.oc1..emulatoruser",
      k.fingerprint,
      k.privateKeyPem,
      null,
      common.Region.US_ASHBURN_1,
    );
    const rc = onsClient(rogue, fx.emu.url);
    try {
      expect(await rejection(rc.publishMessage({ topicId, messageDetails: { body: "x" } }))).toMatchObject({
        statusCode: 401,
        serviceCode: "NotAuthenticated",
      });
    } finally {
      rc.close();
    }
  });
});

describe("Notifications publish rate limit (enabled)", () => {
  it("allows 60 publishes per minute per topic, then 429 TooManyRequests until the window moves", async () => {
    const clock = new FakeClock();
    const fx = await startEmulatorFixture([notificationsService({ topics: [topicId, "ocid1.onstopic.oc1..b"], enforceRateLimit: true })], {
      clock,
    });
    const client = onsClient(fx.provider, fx.emu.url);
    try {
      for (let i = 0; i < 60; i++) {
        await client.publishMessage({ topicId, messageDetails: { body: `m${i}` } });
        await clock.advance(500);
      }
      expect(await rejection(client.publishMessage({ topicId, messageDetails: { body: "61st" } }))).toMatchObject({
        statusCode: 429,
        serviceCode: "TooManyRequests",
      });
      await client.publishMessage({ topicId: "ocid1.onstopic.oc1..b", messageDetails: { body: "other topic is fine" } });
      await clock.advance(30_000);
      await client.publishMessage({ topicId, messageDetails: { body: "window moved" } });
      const ons = fx.emu.service<NotificationsEmulator>("notifications");
      expect(ons.messages(topicId)).toHaveLength(61);
    } finally {
      client.close();
      await fx.close();
    }
  });

  it("is off by default", async () => {
    const fx = await startEmulatorFixture([notificationsService({ topics: [topicId] })]);
    const client = onsClient(fx.provider, fx.emu.url);
    try {
      await Promise.all(Array.from({ length: 70 }, (_, i) => client.publishMessage({ topicId, messageDetails: { body: `m${i}` } })));
      expect(fx.emu.service<NotificationsEmulator>("notifications").messages()).toHaveLength(70);
    } finally {
      client.close();
      await fx.close();
    }
  });
});
