import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ReceivedWebhook, WebhookReceiver } from "../../../stack/webhook-receiver.js";

describe("WebhookReceiver", () => {
  let receiver: WebhookReceiver;
  beforeEach(() => {
    receiver = new WebhookReceiver();
  });
  afterEach(() => receiver.stop());

  it("keeps and announces Slack-style JSON payloads and answers ok", async () => {
    await receiver.start();
    const seen: ReceivedWebhook[] = [];
    receiver.onPayload((h) => seen.push(h));
    const res = await fetch(receiver.url(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-oci-ns-messageid": "m-1" },
      body: JSON.stringify({ text: "*CREATE_TABLE SUCCEEDED*\nsales" }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.payload.text).toBe("*CREATE_TABLE SUCCEEDED*\nsales");
    expect(seen[0]!.messageId).toBe("m-1");
    expect(receiver.payloads()).toHaveLength(1);
  });

  it("keeps a non-JSON body as text and refuses other methods", async () => {
    await receiver.start();
    await fetch(receiver.url("/x"), { method: "POST", body: "plain words" });
    expect(receiver.payloads()[0]).toMatchObject({ path: "/x", payload: { text: "plain words" } });
    expect((await fetch(receiver.url(), { method: "GET" })).status).toBe(405);
  });
});
