import { describe, expect, it } from "vitest";
import { ConsoleReader, type ConsoleSources } from "../../../console/console-reader.js";
import { readableEmail } from "../../../console/start-console.js";
import type { AidpClient } from "../../../shared/aidp/aidp-client.js";
import { buildManifest, serializeManifest } from "../../../shared/export/manifest.js";
import { ServiceError } from "../../../shared/http/http-errors.js";
import { MemoryObjectStore } from "../../support/memory-object-store.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";

const P = "ocid1.aidataplatform.oc1.iad.test";
const deadline = Deadline.in(10_000);
const op = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  resourceType: "TABLE",
  actionType: "CREATE_TABLE",
  resourceName: `t-${key}`,
  status: "IN_PROGRESS",
  timeStarted: "2026-12-04T10:00:00.000Z",
  firstSeenAt: "2026-12-04T10:00:01.000Z",
  source: "list",
  ...extra,
});

async function setup(aidpOk = true) {
  const state = new MemoryObjectStore("state");
  const out = new MemoryObjectStore("out");
  const put = (s: MemoryObjectStore, name: string, body: unknown) =>
    s.put(name, typeof body === "string" ? body : JSON.stringify(body), { deadline });
  await put(state, `aidp-watch/platforms/${P}/index.json`, {
    schemaVersion: 1,
    platformId: P,
    watermark: "2026-12-04T09:00:00.000Z",
    operations: {
      run1: op("run1"),
      pend1: op("pend1", { status: "FAILED", pending: "FAILED", timeFinished: "2026-12-04T10:00:30.000Z", errorCode: "Boom" }),
    },
    givenUp: {},
  });
  await put(state, `aidp-watch/announcements/${P}/done1/SUCCEEDED.json`, {
    state: "published",
    messageId: "m-1",
    publishedAt: "2026-12-04T10:05:00.000Z",
  });
  await put(state, `aidp-watch/announcements/${P}/gone1/LOST.json`, {
    state: "published",
    messageId: "m-2",
    publishedAt: "2026-12-04T10:06:00.000Z",
    digest: true,
  });
  await put(state, `aidp-watch/announcements/${P}/jobrun%3Ajr-1/SUCCESS.json`, {
    state: "published",
    messageId: "m-3",
    publishedAt: "2026-12-04T10:07:00.000Z",
  });
  await put(state, `aidp-watch/announcements/${P}/busy1/FAILED.json`, { state: "claimed", leaseUntil: "2026-12-04T09:00:00.000Z" });
  const m = buildManifest({
    platformId: P,
    workspaceKey: "ws",
    taskRunKey: "tr-1",
    jobRunKey: "jr-1",
    taskRunName: "train",
    taskRunStatus: "SUCCESS",
    outputKey: "o",
    output: { version: 1, isTruncated: true },
    parts: [],
    exportedAtMs: Date.UTC(2026, 11, 4, 10),
  });
  await out.put(`outputs/${P}/ws/tr-1/o/v1/index.html`, "<html>", { deadline });
  await out.put(`outputs/${P}/ws/tr-1/o/v1/manifest.json`, serializeManifest(m), { deadline });
  await out.put(`outputs/${P}/ws/tr-2/o/v1/000-text_plain.txt`, "incomplete: no manifest", { deadline });
  let aidpCalls = 0;
  const aidp: Pick<AidpClient, "getAsyncOperation"> = {
    getAsyncOperation: async (_p, key) => {
      aidpCalls++;
      if (!aidpOk) throw new ServiceError(503, "ServiceUnavailable", "down", { operation: "aidp.getAsyncOperation", endpoint: "x" });
      if (key === "gone1")
        throw new ServiceError(404, "NotAuthorizedOrNotFound", "gone", { operation: "aidp.getAsyncOperation", endpoint: "x" });
      return { data: op(key, { status: "SUCCEEDED", timeFinished: "2026-12-04T10:01:00.000Z", createdByName: "Ana" }) } as never;
    },
  };
  const sources: ConsoleSources = {
    mode: "test",
    stateStore: state,
    outputStore: out,
    aidp,
    statePrefix: "aidp-watch/",
    outputPrefix: "outputs",
    topicId: undefined,
    budgetPerMinute: 50,
    outputUrl: (n) => `/archive/${n}`,
    clock: new FakeClock(Date.UTC(2026, 11, 4, 10, 10)),
  };
  return { reader: new ConsoleReader(sources), calls: () => aidpCalls, state };
}

describe("ConsoleReader", () => {
  it("builds the timeline from the index (running, pending) and the claims (announced, with AIDP's details)", async () => {
    const { reader, calls } = await setup();
    const s = await reader.snapshot();
    const entries = new Map(s.platforms[0]!.entries.map((e) => [e.key, e]));
    expect(entries.get("run1")).toMatchObject({ state: "running", status: "IN_PROGRESS", actionType: "CREATE_TABLE" });
    expect(entries.get("pend1")).toMatchObject({ state: "pending", status: "FAILED", errorCode: "Boom", durationMs: 30_000 });
    expect(entries.get("done1")).toMatchObject({
      state: "announced",
      status: "SUCCEEDED",
      createdBy: "Ana",
      durationMs: 60_000,
      publishedAt: "2026-12-04T10:05:00.000Z",
    });
    expect(entries.get("gone1")).toMatchObject({
      state: "announced",
      status: "LOST",
      digest: true,
      detailsError: "AIDP no longer has this operation",
    });
    expect(entries.get("busy1")).toMatchObject({ state: "publishing" });
    expect(entries.has("jobrun:jr-1")).toBe(false);
    expect(s.heldBack.map((h) => h.key).sort()).toEqual(["busy1", "pend1"]);
    expect(s.heldBack.find((h) => h.key === "busy1")?.reason).toMatch(/lease expired/);
    // Without a message log, the inbox is what the claims record as published.
    expect(s.inbox.map((m) => [m.messageId, m.kind, m.source])).toEqual([
      ["m-3", "job run", "claim"],
      ["m-2", "digest", "claim"],
      ["m-1", "operation", "claim"],
    ]);
    expect(s.outputs).toHaveLength(1);
    expect(s.outputs[0]).toMatchObject({
      taskRunKey: "tr-1",
      isTruncated: true,
      viewerUrl: `/archive/outputs/${P}/ws/tr-1/o/v1/index.html`,
    });
    expect(s.services.every((x) => x.ok)).toBe(true);
    // Published claims and terminal details are read once.
    const before = calls();
    await reader.snapshot();
    expect(calls()).toBe(before);
  });

  it("reports a service it cannot reach instead of failing", async () => {
    const { reader } = await setup(false);
    const s = await reader.snapshot();
    expect(s.services.find((x) => x.name === "AIDP")).toMatchObject({ ok: false });
    expect(s.platforms[0]!.entries.find((e) => e.key === "done1")?.detailsError).toMatch(/503|down/);
    const broken = new ConsoleReader({
      mode: "t",
      stateStore: {
        bucket: "x",
        // biome-ignore lint/correctness/useYield: a listing that fails at once
        list: async function* () {
          throw new Error("connect ECONNREFUSED");
        },
      } as never,
      outputStore: undefined,
      aidp: { getAsyncOperation: async () => ({}) as never },
      statePrefix: "",
      outputPrefix: "outputs",
      topicId: undefined,
      budgetPerMinute: 50,
      outputUrl: (n) => n,
    });
    const b = await broken.snapshot();
    expect(b.services.find((x) => x.name === "state bucket")).toMatchObject({ ok: false, error: "Error: connect ECONNREFUSED" });
  });
});

describe("readableEmail", () => {
  it("decodes RFC 2047 words in headers only", () => {
    const subject = `=?UTF-8?B?${Buffer.from("FAILED · X", "utf8").toString("base64")}?=`;
    expect(readableEmail(`Subject: ${subject}\r\nTo: a\r\n\r\nbody ${subject}`)).toBe(
      `Subject: FAILED · X\r\nTo: a\r\n\r\nbody ${subject}`,
    );
  });
});
