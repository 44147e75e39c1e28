import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateRawSync, inflateSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_USER } from "../../../emulator/credentials.js";
import { fixturesDir } from "../../../emulator/services/aidp/fixture-files.js";
import { DEMO_WORKSPACE, sampleOutputs, sampleOutputsWithExpectations, seedDemoPlatform } from "../../../emulator/services/aidp/index.js";
import { FakeClock } from "../../support/fake-clock.js";
import { type AidpHarness, startAidpHarness } from "./aidp-harness.js";

const P = "ocid1.aidataplatform.oc1..test";
const ops = (p = P) => `/20260430/aiDataPlatforms/${encodeURIComponent(p)}/asyncOperations`;
const ws = (w = "ws-1", p = P) => `/20260430/aiDataPlatforms/${encodeURIComponent(p)}/workspaces/${w}`;
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

type Json = Record<string, unknown>;
interface Listed {
  items: Json[];
}

function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("AIDP emulator", () => {
  let h: AidpHarness;
  let platformSeq = 0;
  let p: string;

  beforeAll(async () => {
    h = await startAidpHarness([P]);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.emu.faults.clear();
    // A fresh platform per test keeps list assertions independent.
    p = `${P}-${++platformSeq}`;
    h.aidp.addPlatform(p);
  });

  describe("async operations over time", () => {
    it("is IN_PROGRESS until timeStarted + durationMs, then the final status with timeFinished and error details", async () => {
      const start = h.clock.now();
      const { key } = h.aidp.addOperation(p, {
        resourceType: "TABLE",
        actionType: "CREATE_TABLE",
        resourceName: "sales.q3.orders",
        durationMs: 60_000,
        finalStatus: "FAILED",
        errorCode: "TableAlreadyExists",
        errorMessage: "exists",
      });
      const first = await h.call("GET", `${ops(p)}/${key}`);
      expect(first.status).toBe(200);
      expect(first.headers.get("etag")).toBeTruthy();
      expect(first.json()).toEqual({
        key,
        resourceType: "TABLE",
        actionType: "CREATE_TABLE",
        resourceName: "sales.q3.orders",
        createdBy: EMULATOR_USER,
        timeStarted: new Date(start).toISOString(),
        status: "IN_PROGRESS",
      });
      await h.clock.advance(59_999);
      expect((await h.call("GET", `${ops(p)}/${key}`)).json()).toMatchObject({ status: "IN_PROGRESS" });
      await h.clock.advance(1);
      const done = (await h.call("GET", `${ops(p)}/${key}`)).json();
      expect(done).toMatchObject({
        status: "FAILED",
        timeFinished: new Date(start + 60_000).toISOString(),
        errorCode: "TableAlreadyExists",
        errorMessage: "exists",
      });
      expect(h.aidp.getOperation(p, key)).toMatchObject({ status: "FAILED", timeFinished: start + 60_000 });
    });

    it("runs until set when durationMs is undefined; setOperationStatus accepts unknown (open-enum) statuses", async () => {
      const { key } = h.aidp.addOperation(p, { resourceType: "CLUSTER", actionType: "START_CLUSTER", resourceName: "ws.c1" });
      await h.clock.advance(24 * 3600_000);
      expect((await h.call("GET", `${ops(p)}/${key}`)).json()).toMatchObject({ status: "IN_PROGRESS" });
      h.aidp.setOperationStatus(p, key, "NEEDS_ATTENTION", { errorCode: "X" });
      const body = (await h.call("GET", `${ops(p)}/${key}`)).json();
      expect(body).toMatchObject({ status: "NEEDS_ATTENTION", errorCode: "X", timeFinished: new Date(h.clock.now()).toISOString() });
    });

    it("does not show an operation before its timeStarted", async () => {
      const { key } = h.aidp.addOperation(p, {
        resourceType: "TABLE",
        actionType: "CREATE_TABLE",
        resourceName: "a.b.c",
        timeStarted: h.clock.now() + 5_000,
      });
      expect((await h.call("GET", `${ops(p)}/${key}`)).status).toBe(404);
      expect((await h.call("GET", `${ops(p)}?resourceType=TABLE`)).json<Listed>().items).toHaveLength(0);
      await h.clock.advance(5_000);
      expect((await h.call("GET", `${ops(p)}/${key}`)).status).toBe(200);
    });

    it("answers 404 NotAuthorizedOrNotFound for unknown platforms, unknown and removed operations", async () => {
      const unknownPlatform = await h.call("GET", `${ops("ocid1.aidataplatform.oc1..nope")}/k`);
      expect(unknownPlatform.status).toBe(404);
      expect(unknownPlatform.json()).toMatchObject({ code: "NotAuthorizedOrNotFound" });
      expect(unknownPlatform.headers.get("opc-request-id")).toBeTruthy();
      expect((await h.call("GET", `${ops("ocid1.aidataplatform.oc1..nope")}?status=SUCCEEDED`)).status).toBe(404);
      expect((await h.call("GET", `${ops(p)}/missing`)).json()).toMatchObject({ code: "NotAuthorizedOrNotFound" });
      const { key } = h.aidp.addOperation(p, { resourceType: "TABLE", actionType: "DELETE_TABLE", resourceName: "a.b.c" });
      expect((await h.call("GET", `${ops(p)}/${key}`)).status).toBe(200);
      h.aidp.removeOperation(p, key);
      expect((await h.call("GET", `${ops(p)}/${key}`)).status).toBe(404);
      expect(h.aidp.getOperation(p, key)).toBeUndefined();
    });

    it("validates path parameter lengths (400 InvalidParameter)", async () => {
      const res = await h.call("GET", `${ops(p)}/${"k".repeat(201)}`);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ code: "InvalidParameter" });
      expect(res.json<{ message: string }>().message).toMatch(/key/);
    });
  });

  describe("listAsyncOperations", () => {
    beforeEach(() => {
      const base = h.clock.now();
      const seed = (o: {
        actionType: string;
        resourceType: string;
        resourceName: string;
        at: number;
        durationMs?: number;
        createdBy?: string;
      }) =>
        h.aidp.addOperation(p, {
          actionType: o.actionType,
          resourceType: o.resourceType,
          resourceName: o.resourceName,
          durationMs: o.durationMs,
          createdBy: o.createdBy,
          timeStarted: base - o.at,
        });
      seed({ actionType: "CREATE_TABLE", resourceType: "TABLE", resourceName: "sales.q3.orders", at: 5_000, durationMs: 1_000 });
      seed({ actionType: "UPDATE_TABLE", resourceType: "TABLE", resourceName: "sales.q3.orders_archive", at: 4_000 });
      seed({
        actionType: "CREATE_TABLE",
        resourceType: "TABLE",
        resourceName: "sales.q4.orders",
        at: 3_000,
        createdBy: "ocid1.user.oc1..someoneelse",
      });
      seed({ actionType: "START_CLUSTER", resourceType: "CLUSTER", resourceName: "ws.c1", at: 2_000, durationMs: 500 });
    });

    it("requires resourceType or status: 400 MissingParameter with the live message", async () => {
      const res = await h.call("GET", ops(p));
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ code: "MissingParameter", message: "ResourceType or Status filter need to be specified" });
    });

    it("filters by status, resourceType, resourceName (exact or prefix) and the calling principal", async () => {
      const names = async (query: string) => (await h.call("GET", `${ops(p)}?${query}`)).json<Listed>().items.map((i) => i.resourceName);
      expect(await names("status=SUCCEEDED")).toEqual(["ws.c1", "sales.q3.orders"]);
      expect(await names("status=IN_PROGRESS")).toEqual(["sales.q4.orders", "sales.q3.orders_archive"]);
      expect(await names("resourceType=TABLE")).toEqual(["sales.q4.orders", "sales.q3.orders_archive", "sales.q3.orders"]);
      expect(await names("resourceType=TABLE&resourceName=sales.q3.orders")).toEqual(["sales.q3.orders"]);
      expect(await names("resourceType=TABLE&resourceName=sales.q3.orders&matchResourceName=true")).toEqual([
        "sales.q3.orders_archive",
        "sales.q3.orders",
      ]);
      expect(await names("resourceType=TABLE&shouldFilterByCallingPrincipal=true")).toEqual(["sales.q3.orders_archive", "sales.q3.orders"]);
      expect(await names("resourceType=TABLE&sortBy=timeStarted&sortOrder=ASC")).toEqual([
        "sales.q3.orders",
        "sales.q3.orders_archive",
        "sales.q4.orders",
      ]);
      expect(await names("status=SUCCEEDED&resourceType=CLUSTER")).toEqual(["ws.c1"]);
    });

    it("returns summaries: createdBy present, no errorCode/errorMessage", async () => {
      h.aidp.addOperation(p, {
        resourceType: "VOLUME",
        actionType: "DELETE_VOLUME",
        resourceName: "v",
        durationMs: 0,
        finalStatus: "FAILED",
        errorCode: "E",
        errorMessage: "m",
      });
      const [item] = (await h.call("GET", `${ops(p)}?resourceType=VOLUME`)).json<Listed>().items;
      expect(item).toMatchObject({ status: "FAILED", createdBy: EMULATOR_USER, resourceType: "VOLUME" });
      expect(item).not.toHaveProperty("errorCode");
      expect(item).not.toHaveProperty("errorMessage");
    });

    it.each([
      ["limit=0", /limit/],
      ["limit=1001", /limit/],
      ["limit=abc", /limit/],
      ["sortOrder=UP", /sortOrder/],
      ["sortBy=resourceName", /sortBy/],
      ["matchResourceName=yes", /matchResourceName/],
      ["page=not-a-token", /page/],
      [`page=${"x".repeat(1025)}`, /page/],
      [`resourceName=${"r".repeat(256)}`, /resourceName/],
    ])("rejects %s with 400 InvalidParameter", async (query, message) => {
      const res = await h.call("GET", `${ops(p)}?resourceType=TABLE&${query}`);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ code: "InvalidParameter", message: expect.stringMatching(message) });
    });
  });

  describe("pagination", () => {
    async function listAll(query: string, between?: (page: number) => void): Promise<{ keys: string[]; pages: number }> {
      const keys: string[] = [];
      let page: string | null = null;
      let pages = 0;
      do {
        const res = await h.call("GET", `${ops(p)}?${query}${page ? `&page=${encodeURIComponent(page)}` : ""}`);
        expect(res.status).toBe(200);
        keys.push(...res.json<Listed>().items.map((i) => String(i.key)));
        page = res.headers.get("opc-next-page");
        pages++;
        between?.(pages);
      } while (page);
      return { keys, pages };
    }

    it("serves every item exactly once over several pages, in order, and stops without opc-next-page", async () => {
      const base = h.clock.now();
      // Many share a timeStarted: ties must be broken by key, not lost or repeated.
      const seeded = Array.from(
        { length: 253 },
        (_, i) =>
          h.aidp.addOperation(p, {
            resourceType: "TABLE",
            actionType: "CREATE_TABLE",
            resourceName: `t${i}`,
            timeStarted: base - Math.floor(i / 7) * 1000,
          }).key,
      );
      const { keys, pages } = await listAll("resourceType=TABLE&limit=40");
      expect(pages).toBe(7);
      expect(keys).toHaveLength(253);
      expect(new Set(keys)).toEqual(new Set(seeded));
      const times = keys.map((k) => h.aidp.getOperation(p, k)!.timeStarted);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const lastPage = await h.call("GET", `${ops(p)}?resourceType=TABLE&limit=1000`);
      expect(lastPage.headers.get("opc-next-page")).toBeNull();
      expect(lastPage.json<Listed>().items).toHaveLength(253);
    });

    it("stays stable while operations are added and removed between pages", async () => {
      const base = h.clock.now();
      const seeded = Array.from(
        { length: 100 },
        (_, i) =>
          h.aidp.addOperation(p, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: `t${i}`, timeStarted: base - i * 1000 })
            .key,
      );
      const removed = new Set<string>();
      const { keys } = await listAll("resourceType=TABLE&limit=10", (page) => {
        if (page === 2) {
          // A newer one (behind the DESC cursor) and an older one (ahead of it) appear…
          h.aidp.addOperation(p, {
            key: "late-new",
            resourceType: "TABLE",
            actionType: "CREATE_TABLE",
            resourceName: "n",
            timeStarted: base,
          });
          h.aidp.addOperation(p, {
            key: "late-old",
            resourceType: "TABLE",
            actionType: "CREATE_TABLE",
            resourceName: "o",
            timeStarted: base - 1_000_000,
          });
          // …and two not yet served disappear.
          for (const k of [seeded[50]!, seeded[51]!]) {
            h.aidp.removeOperation(p, k);
            removed.add(k);
          }
        }
      });
      expect(new Set(keys).size).toBe(keys.length);
      for (const k of seeded) expect(keys.includes(k)).toBe(!removed.has(k));
      expect(keys).toContain("late-old");
      expect(keys).not.toContain("late-new");
    });

    it("rejects a page token reused with other filters", async () => {
      for (let i = 0; i < 3; i++) h.aidp.addOperation(p, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: `t${i}` });
      const first = await h.call("GET", `${ops(p)}?resourceType=TABLE&limit=1`);
      const token = first.headers.get("opc-next-page")!;
      expect(token).toBeTruthy();
      const other = await h.call("GET", `${ops(p)}?resourceType=TABLE&sortOrder=ASC&limit=1&page=${encodeURIComponent(token)}`);
      expect(other.status).toBe(400);
      expect(other.json()).toMatchObject({ code: "InvalidParameter" });
    });
  });

  describe("cancelAsyncOperation", () => {
    it("cancels IN_PROGRESS, is idempotent on CANCELED, 409 IncorrectState on other terminal states", async () => {
      const { key } = h.aidp.addOperation(p, {
        resourceType: "CLUSTER",
        actionType: "STOP_CLUSTER",
        resourceName: "ws.c",
        durationMs: 60_000,
      });
      await h.clock.advance(1_000);
      const res = await h.call("POST", `${ops(p)}/${key}/actions/cancel`, { headers: { "opc-retry-token": "cancel-1" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).toBeTruthy();
      expect(res.json()).toMatchObject({ key, status: "CANCELED", timeFinished: new Date(h.clock.now()).toISOString() });
      await h.clock.advance(120_000);
      expect((await h.call("GET", `${ops(p)}/${key}`)).json()).toMatchObject({ status: "CANCELED" });
      expect((await h.call("POST", `${ops(p)}/${key}/actions/cancel`)).status).toBe(200);

      const done = h.aidp.addOperation(p, { resourceType: "CLUSTER", actionType: "STOP_CLUSTER", resourceName: "ws.d", durationMs: 0 });
      const conflict = await h.call("POST", `${ops(p)}/${done.key}/actions/cancel`);
      expect(conflict.status).toBe(409);
      expect(conflict.json()).toMatchObject({ code: "IncorrectState" });
      expect((await h.call("POST", `${ops(p)}/nope/actions/cancel`)).status).toBe(404);
      expect(h.aidp.retryTokensSeen("aidp.cancelAsyncOperation")).toContain("cancel-1");
    });
  });

  describe("job runs, task runs and outputs", () => {
    const seedJob = (timeCreated?: number) =>
      h.aidp.addJobRun(p, "ws-1", {
        jobKey: "job-a",
        name: "nightly",
        timeCreated,
        tasks: [
          { name: "load", durationMs: 10_000, output: { data: sampleOutputs(), outputParameters: [{ name: "rows", value: "3" }] } },
          {
            name: "report",
            taskType: "PYTHON_TASK",
            durationMs: 5_000,
            outputKey: "out-report",
            output: { data: [{ type: "TEXT_PLAIN", value: "ok" }] },
          },
        ],
      });

    it("moves job and task runs through PENDING/RUNNING to SUCCESS, exposing outputKey once finished", async () => {
      const t0 = h.clock.now();
      const { key, taskRunKeys } = seedJob();
      const [load, report] = taskRunKeys as [string, string];
      const tr = async (k: string) => (await h.call("GET", `${ws("ws-1", p)}/taskRuns/${k}`)).json();

      expect((await h.call("GET", `${ws("ws-1", p)}/jobRuns/${key}`)).json()).toMatchObject({
        key,
        jobKey: "job-a",
        state: { status: "RUNNING" },
        startTime: t0,
      });
      expect(await tr(load)).toMatchObject({ key: load, name: "load", jobRunKey: key, state: { status: "RUNNING" }, startTime: t0 });
      expect(await tr(load)).not.toHaveProperty("outputKey");
      expect(await tr(report)).toMatchObject({ state: { status: "PENDING" } });
      const early = await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/actions/fetchOutput`, { body: {} });
      expect(early.status).toBe(404);

      await h.clock.advance(10_000);
      const loadDone = await h.call("GET", `${ws("ws-1", p)}/taskRuns/${load}`);
      expect(loadDone.headers.get("etag")).toBeTruthy();
      expect(loadDone.json()).toMatchObject({
        state: { status: "SUCCESS" },
        endTime: t0 + 10_000,
        executionDuration: 10_000,
        outputKey: expect.any(String),
      });
      expect(await tr(report)).toMatchObject({ state: { status: "RUNNING" }, startTime: t0 + 10_000 });

      await h.clock.advance(5_000);
      const job = (await h.call("GET", `${ws("ws-1", p)}/jobRuns/${key}`)).json();
      expect(job).toMatchObject({ state: { status: "SUCCESS" }, endTime: t0 + 15_000, taskToTaskRunMap: { load, report } });
      expect(await tr(report)).toMatchObject({ outputKey: "out-report" });
    });

    it("fetchOutput returns the TaskRunOutput with every RunOutputData form, 404 on a wrong outputKey, and records retry tokens", async () => {
      const { taskRunKeys } = seedJob(h.clock.now() - 60_000);
      const load = taskRunKeys[0]!;
      const outputKey = String((await h.call("GET", `${ws("ws-1", p)}/taskRuns/${load}`)).json().outputKey);
      h.aidp.clearRetryTokens();
      const res = await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/actions/fetchOutput`, {
        body: { outputKey },
        headers: { "opc-retry-token": "tok-1" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).toBeTruthy();
      expect(res.json()).toEqual({
        key: outputKey,
        taskType: "NOTEBOOK_TASK",
        isTruncated: false,
        data: sampleOutputs(),
        outputParameters: [{ name: "rows", value: "3" }],
        version: 1,
      });
      expect((await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/actions/fetchOutput`, { body: { outputKey: "other" } })).status).toBe(
        404,
      );
      expect((await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/actions/fetchOutput`, { body: "{not json" })).json()).toMatchObject({
        code: "InvalidParameter",
      });
      expect((await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/actions/fetchOutput`, { body: { outputKey: "" } })).status).toBe(400);
      expect((await h.call("POST", `${ws("ws-1", p)}/taskRuns/unknown/actions/fetchOutput`, { body: {} })).status).toBe(404);

      // Two attempts answered by an injected 503, then success: all three carry the one token.
      h.aidp.clearRetryTokens();
      h.emu.faults.add({ route: "aidp.fetchOutput", status: 503, times: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (
            await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/actions/fetchOutput`, {
              body: {},
              headers: { "opc-retry-token": "tok-2" },
            })
          ).status,
        );
      }
      expect(statuses).toEqual([503, 503, 200]);
      expect(h.aidp.retryTokensSeen("aidp.fetchOutput")).toEqual(["tok-2", "tok-2", "tok-2"]);
      expect(h.aidp.retryTokensSeen()).toEqual(["tok-2", "tok-2", "tok-2"]);
    });

    it("a task with outputKey null never has an output; a failed task blocks the next one (UPSTREAM_FAILED)", async () => {
      const { key, taskRunKeys } = h.aidp.addJobRun(p, "ws-1", {
        jobKey: "job-b",
        timeCreated: h.clock.now() - 1,
        tasks: [
          { name: "branch", taskType: "IF_ELSE_TASK", outputKey: null, finalStatus: "FAILED", output: { data: [], errorTrace: "boom" } },
          { name: "after" },
        ],
      });
      const [branch, after] = taskRunKeys as [string, string];
      expect((await h.call("POST", `${ws("ws-1", p)}/taskRuns/${branch}/actions/fetchOutput`, { body: {} })).status).toBe(404);
      expect((await h.call("GET", `${ws("ws-1", p)}/taskRuns/${after}`)).json()).toMatchObject({ state: { status: "UPSTREAM_FAILED" } });
      expect((await h.call("GET", `${ws("ws-1", p)}/jobRuns/${key}`)).json()).toMatchObject({ state: { status: "FAILED" } });
    });

    it("exportOutput renders HTML (images inlined) and IPYNB; validates the format", async () => {
      const { taskRunKeys } = seedJob(h.clock.now() - 60_000);
      const load = taskRunKeys[0]!;
      const outputKey = String((await h.call("GET", `${ws("ws-1", p)}/taskRuns/${load}`)).json().outputKey);
      const path = `${ws("ws-1", p)}/taskRuns/${load}/outputs/${outputKey}/actions/export`;
      const html = (await h.call("POST", path, { body: { format: "HTML" } })).json<{
        name: string;
        path: string;
        content: string;
        format: string;
      }>();
      expect(html).toMatchObject({ name: "load.html", format: "HTML" });
      expect(html.path).toMatch(/\.html$/);
      expect(html.content).toContain("data:image/png;base64,");
      expect(html.content).toContain(
        `data:image/svg+xml;base64,${Buffer.from(sampleOutputsWithExpectations().find((x) => x.name === "image-svg-deflate-raw")!.expected.text!).toString("base64")}`,
      ); // inflated from raw DEFLATE
      expect(html.content).toContain("<td>EMEA</td>"); // HTML part inflated from GZIP, inlined
      const nb = (await h.call("POST", path, { body: { format: "IPYNB" } })).json<{ name: string; content: string; format: string }>();
      expect(nb).toMatchObject({ name: "load.ipynb", format: "IPYNB" });
      expect(JSON.parse(nb.content)).toMatchObject({ nbformat: 4 });
      expect((await h.call("POST", path, { body: { format: "PDF" } })).json()).toMatchObject({ code: "InvalidParameter" });
      expect((await h.call("POST", `${ws("ws-1", p)}/taskRuns/${load}/outputs/nope/actions/export`, { body: {} })).status).toBe(404);
    });

    it("listTaskRuns requires jobRunKey, filters by status (multi) and paginates", async () => {
      const { key } = seedJob();
      const base = `${ws("ws-1", p)}/taskRuns`;
      const missing = await h.call("GET", base);
      expect(missing.status).toBe(400);
      expect(missing.json()).toMatchObject({ code: "MissingParameter" });
      const running = (await h.call("GET", `${base}?jobRunKey=${key}&status=RUNNING`)).json<Listed>().items;
      expect(running.map((i) => i.name)).toEqual(["load"]);
      const both = (await h.call("GET", `${base}?jobRunKey=${key}&status=RUNNING&status=PENDING`)).json<Listed>().items;
      expect(both.map((i) => i.name).sort()).toEqual(["load", "report"]);
      const p1 = await h.call("GET", `${base}?jobRunKey=${key}&limit=1&sortBy=displayName&sortOrder=ASC`);
      expect(p1.json<Listed>().items.map((i) => i.name)).toEqual(["load"]);
      const next = p1.headers.get("opc-next-page")!;
      const p2 = await h.call("GET", `${base}?jobRunKey=${key}&limit=1&sortBy=displayName&sortOrder=ASC&page=${encodeURIComponent(next)}`);
      expect(p2.json<Listed>().items.map((i) => i.name)).toEqual(["report"]);
      expect(p2.headers.get("opc-next-page")).toBeNull();
      expect((await h.call("GET", `${ws("ws-none", p)}/taskRuns?jobRunKey=${key}`)).status).toBe(404);
    });

    it("listJobRuns filters by timeCreatedGreaterThanOrEqualTo, jobKey (multi) and status; getJobRun 404s on unknown keys", async () => {
      const t0 = h.clock.now();
      const a = h.aidp.addJobRun(p, "ws-2", { jobKey: "job-a", timeCreated: t0 - 3_000, tasks: [{ name: "x" }] });
      const b = h.aidp.addJobRun(p, "ws-2", { jobKey: "job-b", timeCreated: t0 - 2_000, tasks: [{ name: "x", durationMs: 60_000 }] });
      const c = h.aidp.addJobRun(p, "ws-2", { jobKey: "job-c", timeCreated: t0 - 1_000, tasks: [{ name: "x", finalStatus: "FAILED" }] });
      const keys = async (q: string) => (await h.call("GET", `${ws("ws-2", p)}/jobRuns?${q}`)).json<Listed>().items.map((i) => i.key);
      expect(await keys("")).toEqual([c.key, b.key, a.key]);
      expect(await keys(`timeCreatedGreaterThanOrEqualTo=${encodeURIComponent(new Date(t0 - 2_000).toISOString())}`)).toEqual([
        c.key,
        b.key,
      ]);
      expect(await keys("jobKey=job-a&jobKey=job-c")).toEqual([c.key, a.key]);
      expect(await keys("status=RUNNING")).toEqual([b.key]);
      expect(await keys("status=SUCCESS,FAILED&sortOrder=ASC")).toEqual([a.key, c.key]);
      const bad = await h.call("GET", `${ws("ws-2", p)}/jobRuns?timeCreatedGreaterThanOrEqualTo=yesterday`);
      expect(bad.status).toBe(400);
      expect(bad.json()).toMatchObject({ code: "InvalidParameter", message: expect.stringMatching(/timeCreatedGreaterThanOrEqualTo/) });
      const one = await h.call("GET", `${ws("ws-2", p)}/jobRuns?limit=1`);
      expect(one.headers.get("opc-next-page")).toBeTruthy();
      expect((await h.call("GET", `${ws("ws-2", p)}/jobRuns/nope`)).status).toBe(404);
      expect((await h.call("GET", `${ws("ws-2", p)}/jobRuns/${a.key}`)).json()).toMatchObject({
        timeCreated: new Date(t0 - 3_000).toISOString(),
      });
    });
  });

  describe("faults by route name", () => {
    it("429 with Retry-After on aidp.listAsyncOperations, then normal service", async () => {
      h.emu.faults.add({ route: "aidp.listAsyncOperations", status: 429, retryAfter: 2, times: 1 });
      const limited = await h.call("GET", `${ops(p)}?status=SUCCEEDED`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect(limited.json()).toMatchObject({ code: "TooManyRequests" });
      expect((await h.call("GET", `${ops(p)}?status=SUCCEEDED`)).status).toBe(200);
    });

    it("malformed JSON on aidp.getAsyncOperation; other routes unaffected", async () => {
      const { key } = h.aidp.addOperation(p, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "a.b.c" });
      h.emu.faults.add({ route: "aidp.getAsyncOperation", malformed: true, times: 1 });
      const bad = await h.call("GET", `${ops(p)}/${key}`);
      expect(bad.status).toBe(200);
      expect(() => bad.json()).toThrow();
      expect((await h.call("GET", `${ops(p)}?resourceType=TABLE`)).status).toBe(200);
      expect((await h.call("GET", `${ops(p)}/${key}`)).json()).toMatchObject({ key });
      expect(h.emu.stats.count("aidp.getAsyncOperation")).toBeGreaterThanOrEqual(2);
    });
  });

  describe("admin routes", () => {
    it("seed, inspect, change and delete state over /_emulator/aidp without signatures", async () => {
      const admin = (method: string, path: string, body?: unknown) =>
        fetch(`${h.emu.url}/_emulator/aidp${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      const plat = encodeURIComponent("ocid1.aidataplatform.oc1..admin");
      expect((await admin("POST", `/platforms/${plat}`)).status).toBe(200);
      const bad = await admin("POST", `/platforms/${plat}/asyncOperations`, { resourceType: "TABLE" });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: "InvalidParameter" });
      const typo = await admin("POST", `/platforms/${plat}/asyncOperations`, {
        resourceType: "TABLE",
        actionType: "CREATE_TABLE",
        resourceName: "x",
        duration: 5,
      });
      expect(typo.status).toBe(400);
      const created = await admin("POST", `/platforms/${plat}/asyncOperations`, {
        resourceType: "TABLE",
        actionType: "CREATE_TABLE",
        resourceName: "x",
        timeStarted: h.clock.now() + 10_000,
      });
      const { key } = (await created.json()) as { key: string };
      const listed = (await (await admin("GET", `/platforms/${plat}/asyncOperations`)).json()) as Listed;
      expect(listed.items).toEqual([expect.objectContaining({ key, status: "IN_PROGRESS", emulatorVisible: false })]);
      await h.clock.advance(10_000);
      const set = await admin("PUT", `/platforms/${plat}/asyncOperations/${key}/status`, { status: "FAILED", errorCode: "Boom" });
      expect(await set.json()).toMatchObject({ status: "FAILED", errorCode: "Boom" });
      expect((await h.call("GET", `${ops("ocid1.aidataplatform.oc1..admin")}/${key}`)).json()).toMatchObject({
        status: "FAILED",
        errorCode: "Boom",
      });
      expect((await admin("DELETE", `/platforms/${plat}/asyncOperations/${key}`)).status).toBe(204);
      expect((await admin("DELETE", `/platforms/${plat}/asyncOperations/${key}`)).status).toBe(404);
      const job = await admin("POST", `/platforms/${plat}/workspaces/ws-x/jobRuns`, {
        jobKey: "j",
        tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", value: "hi" }] } }],
      });
      expect(await job.json()).toMatchObject({ key: expect.any(String), taskRunKeys: [expect.any(String)] });
      expect(
        (await admin("POST", `/platforms/nope/asyncOperations`, { resourceType: "T", actionType: "A", resourceName: "n" })).status,
      ).toBe(404);
    });
  });

  describe("demo scenario", () => {
    it("ends SUCCEEDED, FAILED and CANCELED within a couple of minutes (÷ speed), keeps one running, outputs in every form", async () => {
      const demo = "ocid1.aidataplatform.oc1..demo";
      const { jobRunKeys } = seedDemoPlatform(h.aidp, demo, h.clock, { speed: 10 });
      const byStatus = async (status: string) => (await h.call("GET", `${ops(demo)}?status=${status}&limit=1000`)).json<Listed>().items;
      expect((await byStatus("IN_PROGRESS")).map((o) => o.actionType)).toContain("PATCH_CLUSTER_LIBRARIES");
      await h.clock.advance(12_000); // two simulated minutes at speed 10
      const actions = (items: Json[]) => items.map((o) => o.actionType);
      expect(actions(await byStatus("SUCCEEDED"))).toEqual(
        expect.arrayContaining(["CREATE_TABLE", "START_CLUSTER", "CREATE_CATALOG", "CREATE_SCHEMA"]),
      );
      expect(actions(await byStatus("FAILED"))).toEqual(expect.arrayContaining(["BUNDLE_DEPLOY", "CREATE_TABLE"]));
      expect(actions(await byStatus("CANCELED"))).toEqual(["GIT_CHECKOUT_BRANCH"]);
      const running = await byStatus("IN_PROGRESS");
      expect(actions(running)).toEqual(["PATCH_CLUSTER_LIBRARIES"]);
      expect(h.clock.now() - Date.parse(String(running[0]!.timeStarted))).toBeGreaterThan(4 * 60_000);
      const failed = (await byStatus("FAILED")).find((o) => o.actionType === "BUNDLE_DEPLOY")!;
      expect((await h.call("GET", `${ops(demo)}/${failed.key}`)).json()).toMatchObject({
        errorCode: "BundleValidationFailed",
        errorMessage: expect.any(String),
      });

      const [reportRun, failingRun] = jobRunKeys as [string, string];
      const job = (await h.call("GET", `${ws(DEMO_WORKSPACE, demo)}/jobRuns/${reportRun}`)).json<{
        state: Json;
        taskToTaskRunMap: Record<string, string>;
      }>();
      expect(job.state).toMatchObject({ status: "SUCCESS" });
      const served: Json[] = [];
      for (const taskRun of Object.values(job.taskToTaskRunMap)) {
        served.push(
          ...(await h.call("POST", `${ws(DEMO_WORKSPACE, demo)}/taskRuns/${taskRun}/actions/fetchOutput`, { body: {} })).json<{
            data: Json[];
          }>().data,
        );
      }
      expect(served).toEqual(expect.arrayContaining(sampleOutputs()));
      expect(served).toHaveLength(sampleOutputs().length);
      expect((await h.call("GET", `${ws(DEMO_WORKSPACE, demo)}/jobRuns/${failingRun}`)).json()).toMatchObject({
        state: { status: "FAILED", errorTrace: expect.stringContaining("AnalysisException") },
      });
    });
  });
});

describe("AIDP sample outputs", () => {
  const samples = sampleOutputsWithExpectations();
  const wire = (value: string | undefined, isBase64: boolean | undefined) =>
    isBase64 ? Buffer.from(value ?? "", "base64") : Buffer.from(value ?? "", "utf8");

  it("cover every documented type, compression and charset form", () => {
    const parts = samples.map((s) => s.part);
    expect(new Set(parts.map((x) => x.type))).toEqual(
      new Set([
        "TEXT_PLAIN",
        "TEXT_HTML",
        "IMAGE_PNG",
        "IMAGE_SVG",
        "IMAGE_JPEG",
        "APPLICATION_PDF",
        "APPLICATION_JSON",
        "NOTEBOOK",
        "FILE_PATH",
        "NOTEBOOK_PATH",
      ]),
    );
    expect(new Set(parts.map((x) => x.compression).filter(Boolean))).toEqual(new Set(["GZIP", "DEFLATE", "COMPRESS", "BZIP2"]));
    expect(new Set(parts.map((x) => x.charset).filter(Boolean))).toEqual(new Set(["UTF_8", "UTF_16"]));
    const deflate = samples.filter((s) => s.part.compression === "DEFLATE").map((s) => wire(s.part.value, true)[0]);
    expect(deflate).toContain(0x78); // zlib-wrapped (RFC 1950 header)
    expect(deflate.some((b) => b !== 0x78)).toBe(true); // raw
    const utf16 = samples
      .filter((s) => s.part.charset === "UTF_16" && !s.part.compression)
      .map((s) => wire(s.part.value, true).subarray(0, 2).toString("hex"));
    expect(utf16).toEqual(expect.arrayContaining(["fffe", expect.not.stringMatching(/^(fffe|feff)$/)]));
    for (const s of samples)
      if (s.part.compression || ["IMAGE_PNG", "IMAGE_JPEG", "APPLICATION_PDF"].includes(s.part.type)) expect(s.part.isBase64).toBe(true);
    expect(new Set(samples.map((s) => s.name)).size).toBe(samples.length);
  });

  it("fixture files match the SHA256SUMS written by make-fixtures.sh", () => {
    const dir = fixturesDir();
    const lines = readFileSync(join(dir, "SHA256SUMS"), "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const line of lines) {
      const [sum, name] = line.split(/\s+/) as [string, string];
      expect(sha256(readFileSync(join(dir, name))), name).toBe(sum);
    }
  });

  // Each payload is checked with a tool independent of the code that made it.
  const tool: Record<string, string[]> = { BZIP2: ["bzip2", "-dc"], COMPRESS: ["compress", "-dc"], GZIP: ["gzip", "-dc"] };
  it.each(samples.map((s) => [s.name, s] as const))("%s decodes to the expected payload and content", (_name, s) => {
    let bytes = wire(s.part.value, s.part.isBase64);
    const t = s.part.compression ? tool[s.part.compression] : undefined;
    if (t) {
      if (!hasTool(t[0]!))
        throw new Error(
          `${t[0]} is needed to check the ${s.part.compression} fixture (Debian: ${t[0] === "compress" ? "ncompress" : t[0]})`,
        );
      bytes = execFileSync(t[0]!, t.slice(1), { input: bytes });
    } else if (s.part.compression === "DEFLATE") {
      bytes = bytes[0] === 0x78 ? inflateSync(bytes) : inflateRawSync(bytes);
    }
    expect(sha256(bytes)).toBe(s.expected.payloadSha256);
    expect(String(bytes.length)).toBe(s.part.length);
    if (s.expected.text === undefined) {
      expect(sha256(bytes)).toBe(s.expected.sha256);
      const magic: Record<string, [string, string]> = {
        "image/png": ["89504e470d0a1a0a", "ae426082"],
        "image/jpeg": ["ffd8", "ffd9"],
        "application/pdf": ["255044462d", "2525454f460a"],
      };
      const [head, tail] = magic[s.expected.contentType]!;
      expect(bytes.subarray(0, head.length / 2).toString("hex")).toBe(head);
      expect(bytes.subarray(bytes.length - tail.length / 2).toString("hex")).toBe(tail);
      if (hasTool("file"))
        expect(execFileSync("file", ["--brief", "--mime-type", "-"], { input: bytes }).toString().trim()).toBe(s.expected.contentType);
      return;
    }
    let utf8 = bytes;
    if (s.part.charset === "UTF_16") {
      const bom = bytes.subarray(0, 2).toString("hex");
      const from = bom === "fffe" ? "UTF-16LE" : "UTF-16BE";
      utf8 = execFileSync("iconv", ["-f", from, "-t", "UTF-8"], { input: bom === "fffe" || bom === "feff" ? bytes.subarray(2) : bytes });
    }
    expect(utf8.toString("utf8")).toBe(s.expected.text);
    expect(sha256(utf8)).toBe(s.expected.sha256);
    expect(utf8.length).toBe(s.expected.size);
  });
});

describe("FakeClock", () => {
  it("resolves sleeps in due order when advanced past them, with now() at each due time", async () => {
    const clock = new FakeClock(1_000);
    const seen: Array<[string, number]> = [];
    void clock.sleep(300).then(() => seen.push(["b", clock.now()]));
    void clock.sleep(100).then(async () => {
      seen.push(["a", clock.now()]);
      await clock.sleep(100); // scheduled by a woken sleeper, still inside the window
      seen.push(["a2", clock.now()]);
    });
    await clock.advance(99);
    expect(seen).toEqual([]);
    await clock.advance(301);
    expect(seen).toEqual([
      ["a", 1_100],
      ["a2", 1_200],
      ["b", 1_300],
    ]);
    expect(clock.now()).toBe(1_400);
    const ac = new AbortController();
    const aborted = clock.sleep(50, ac.signal);
    ac.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    expect(clock.pendingSleeps()).toBe(0);
  });
});
