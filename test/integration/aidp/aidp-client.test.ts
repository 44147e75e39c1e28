import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { AidpClient } from "../../../shared/aidp/aidp-client.js";
import {
  ASYNC_OPERATION_ACTION_TYPES,
  ASYNC_OPERATION_RESOURCE_TYPES,
  ASYNC_OPERATION_STATUSES,
  RUN_STATUSES,
} from "../../../shared/aidp/aidp-enums.js";
import { AidpInputError } from "../../../shared/aidp/aidp-errors.js";
import { AsciiText } from "../../../shared/decode/ascii-text.js";
import { type AuthProvider, createAuthProvider } from "../../../shared/auth/create-auth-provider.js";
import { InvalidResponseError, ServiceError } from "../../../shared/http/http-errors.js";
import { retryPolicy } from "../../../shared/http/retry-policy.js";
import { renderingText, taskRunSummaryOf } from "../../../shared/aidp/workflow-schema.js";
import { isKnown } from "../../../shared/schema/open-enum.js";
import { Deadline } from "../../../shared/time/deadline.js";

const PLATFORM = "ocid1.aidataplatform.oc1.iad.test";
const WS = "ws-1";

describe("AidpClient against the AIDP emulator", () => {
  let emu: Emulator;
  let aidp: AidpEmulator;
  let dir: string;
  let provider: AuthProvider;
  let client: AidpClient;
  const opts = () => ({ deadline: Deadline.in(20_000) });

  beforeAll(async () => {
    emu = await startEmulator({ services: [aidpService({ platforms: [PLATFORM] })] });
    aidp = emu.service<AidpEmulator>("aidp");
    dir = mkdtempSync(join(tmpdir(), "aidp-client-"));
    provider = await createAuthProvider({ configFile: provisionCredentials(dir, emu.registry).configFile, env: {} });
    client = new AidpClient({ provider, endpoint: emu.url, retryPolicy: retryPolicy({ baseDelayMs: 10, maxDelayMs: 50 }) });
  });
  afterEach(() => {
    emu.faults.clear();
    emu.stats.reset();
    aidp.clearRetryTokens();
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds the base URL from the endpoint override (+/20260430)", () => {
    expect(client.baseUrl).toBe(`${emu.url}/20260430`);
    expect(new AidpClient({ provider, endpoint: `${emu.url}/20260430/` }).baseUrl).toBe(`${emu.url}/20260430`);
    expect(new AidpClient({ provider }).baseUrl).toBe("https://aidp.us-ashburn-1.oci.oraclecloud.com/20260430");
  });

  it("getAsyncOperation returns the parsed operation with request ids and etag", async () => {
    const { key } = aidp.addOperation(PLATFORM, {
      resourceType: "CLUSTER",
      actionType: "CREATE_CLUSTER",
      resourceName: "ws-1.c1",
      durationMs: 600_000,
    });
    const res = await client.getAsyncOperation(PLATFORM, key, { ...opts(), requestId: "get-op-1" });
    expect(res.data).toMatchObject({
      key,
      resourceType: "CLUSTER",
      actionType: "CREATE_CLUSTER",
      resourceName: "ws-1.c1",
      status: "IN_PROGRESS",
    });
    expect(typeof res.data.timeStarted).toBe("string");
    expect(res).toMatchObject({ opcRequestId: "get-op-1", clientRequestId: "get-op-1", attempts: 1 });
    expect(res.etag).toBeTruthy();
  });

  it("keeps unknown enum values as strings and lets callers report them", async () => {
    const { key } = aidp.addOperation(PLATFORM, {
      resourceType: "QUANTUM_LAKE",
      actionType: "TELEPORT_TABLE",
      resourceName: "x",
      durationMs: 0,
      finalStatus: "HALF_DONE",
    });
    const { data } = await client.getAsyncOperation(PLATFORM, key, opts());
    expect(data).toMatchObject({ resourceType: "QUANTUM_LAKE", actionType: "TELEPORT_TABLE", status: "HALF_DONE" });
    expect([
      isKnown(ASYNC_OPERATION_RESOURCE_TYPES, data.resourceType),
      isKnown(ASYNC_OPERATION_ACTION_TYPES, data.actionType),
      isKnown(ASYNC_OPERATION_STATUSES, data.status),
    ]).toEqual([false, false, false]);
    expect(isKnown(ASYNC_OPERATION_STATUSES, "SUCCEEDED")).toBe(true);
  });

  it("a missing operation is a typed 404 ServiceError, not retried", async () => {
    const err = await client.getAsyncOperation(PLATFORM, "nope", opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 404, code: "NotAuthorizedOrNotFound", attempts: 1, operation: "aidp.getAsyncOperation" });
    expect((err as ServiceError).opcRequestId).toBeTruthy();
  });

  it("percent-encodes path parameters", async () => {
    const odd = "ocid1.aidataplatform.oc1..odd/id with space?";
    aidp.addPlatform(odd);
    const { key } = aidp.addOperation(odd, { key: "k/1 %x", resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "c.s.t" });
    expect((await client.getAsyncOperation(odd, "k/1 %x", opts())).data.key).toBe(key);
  });

  it("validates inputs before sending (OCID 1–500, keys 1–200)", async () => {
    for (const call of [
      () => client.getAsyncOperation("", "k", opts()),
      () => client.getAsyncOperation("x".repeat(501), "k", opts()),
      () => client.getAsyncOperation(PLATFORM, "k".repeat(201), opts()),
      () => client.getTaskRun(PLATFORM, "", "t", opts()),
      () => client.listAsyncOperations(PLATFORM, { limit: 0 }, opts()).page(),
      () => client.listTaskRuns(PLATFORM, WS, {} as never, opts()).page(),
      () => client.fetchOutput(PLATFORM, WS, "t", { outputKey: "o".repeat(101) }, opts()),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(AidpInputError);
    }
    expect(emu.stats.count("*")).toBe(0);
  });

  it("listAsyncOperations pages over opc-next-page (iterator of pages, items, collect-all)", async () => {
    const p = "ocid1.aidataplatform.oc1..paging";
    aidp.addPlatform(p);
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 7; i++)
      aidp.addOperation(p, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: `c.s.t${i}`, timeStarted: t0 + i * 1000 });
    aidp.addOperation(p, { resourceType: "CLUSTER", actionType: "START_CLUSTER", resourceName: "w.c" });
    const sizes: number[] = [];
    for await (const page of client.listAsyncOperations(p, { resourceType: "TABLE", limit: 3 }, opts())) sizes.push(page.items.length);
    expect(sizes).toEqual([3, 3, 1]);
    expect(emu.stats.count("aidp.listAsyncOperations")).toBe(3);
    const all = await client.listAsyncOperations(p, { resourceType: "TABLE", limit: 3 }, opts()).all();
    expect(all.map((o) => o.resourceName)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `c.s.t${i}`)); // timeStarted desc
    expect(await client.listAsyncOperations(p, { resourceType: "TABLE", limit: 2 }, opts()).all(3)).toHaveLength(3);
  });

  it("listAsyncOperations filters: status, resourceName prefix, calling principal", async () => {
    const p = "ocid1.aidataplatform.oc1..filters";
    aidp.addPlatform(p);
    aidp.addOperation(p, {
      resourceType: "CLUSTER",
      actionType: "START_CLUSTER",
      resourceName: "w1.a",
      durationMs: 0,
      finalStatus: "FAILED",
    });
    aidp.addOperation(p, { resourceType: "CLUSTER", actionType: "START_CLUSTER", resourceName: "w1.b", durationMs: 0 });
    aidp.addOperation(p, {
      resourceType: "CLUSTER",
      actionType: "START_CLUSTER",
      resourceName: "w2.c",
      durationMs: 0,
      createdBy: "someone-else",
    });
    const names = async (f: Parameters<AidpClient["listAsyncOperations"]>[1]) =>
      (await client.listAsyncOperations(p, f, opts()).all()).map((o) => o.resourceName).sort();
    expect(await names({ status: "FAILED" })).toEqual(["w1.a"]);
    expect(await names({ resourceType: "CLUSTER", resourceName: "w1.", matchResourceName: true })).toEqual(["w1.a", "w1.b"]);
    expect(await names({ resourceType: "CLUSTER", resourceName: "w2.c" })).toEqual(["w2.c"]);
    expect(await names({ resourceType: "CLUSTER", shouldFilterByCallingPrincipal: true })).toEqual(["w1.a", "w1.b"]);
    // the service's own rule (resourceType or status required) comes back as a typed 400
    await expect(client.listAsyncOperations(p, {}, opts()).all()).rejects.toMatchObject({ status: 400, code: "MissingParameter" });
  });

  it("cancelAsyncOperation cancels with an opc-retry-token; cancelling a finished one is a 409", async () => {
    const { key } = aidp.addOperation(PLATFORM, {
      resourceType: "CLUSTER",
      actionType: "STOP_CLUSTER",
      resourceName: "w.c",
      durationMs: 600_000,
    });
    const res = await client.cancelAsyncOperation(PLATFORM, key, { ...opts(), retryToken: "cancel-token-1" });
    expect(res.data?.status).toBe("CANCELED");
    expect(aidp.retryTokensSeen("aidp.cancelAsyncOperation")).toEqual(["cancel-token-1"]);
    const done = aidp.addOperation(PLATFORM, { resourceType: "CLUSTER", actionType: "STOP_CLUSTER", resourceName: "w.c", durationMs: 0 });
    await expect(client.cancelAsyncOperation(PLATFORM, done.key, opts())).rejects.toMatchObject({
      status: 409,
      code: "IncorrectState",
      attempts: 1,
    });
  });

  describe("workflow", () => {
    let jobRunKey: string;
    let taskRunKeys: string[];
    const output = {
      data: [
        { type: "TEXT_PLAIN", value: "hello" },
        { type: "HOLOGRAM", value: "x", compression: "ZSTD" },
      ],
      taskType: "NOTEBOOK_TASK",
    };

    beforeAll(() => {
      ({ key: jobRunKey, taskRunKeys } = aidp.addJobRun(PLATFORM, WS, {
        jobKey: "job-1",
        timeCreated: Date.now() - 120_000,
        tasks: [
          { name: "prep", output },
          { name: "train", output: { data: [{ type: "TEXT_PLAIN", value: "done" }] } },
        ],
      }));
    });

    it("getJobRun / listJobRuns (timeCreatedGreaterThanOrEqualTo, status)", async () => {
      const { data } = await client.getJobRun(PLATFORM, WS, jobRunKey, opts());
      expect(data).toMatchObject({ key: jobRunKey, jobKey: "job-1" });
      expect(Object.values(data.taskToTaskRunMap ?? {}).sort()).toEqual([...taskRunKeys].sort());
      const since = new Date(Date.now() - 600_000);
      const runs = await client.listJobRuns(PLATFORM, WS, { timeCreatedGreaterThanOrEqualTo: since, status: ["SUCCESS"] }, opts()).all();
      expect(runs.map((r) => r.key)).toContain(jobRunKey);
      expect(
        await client
          .listJobRuns(PLATFORM, WS, { timeCreatedGreaterThanOrEqualTo: new Date(Date.now() + 60_000).toISOString() }, opts())
          .all(),
      ).toEqual([]);
      expect(await client.listJobRuns(PLATFORM, WS, { status: ["FAILED"] }, opts()).all()).toEqual([]);
    });

    it("getTaskRun / listTaskRuns (jobRunKey required, paging)", async () => {
      const tr = await client.getTaskRun(PLATFORM, WS, taskRunKeys[0]!, opts());
      expect(tr.data).toMatchObject({ key: taskRunKeys[0], name: "prep", jobRunKey });
      expect(tr.data.state?.status).toBe("SUCCESS");
      expect(isKnown(RUN_STATUSES, tr.data.state?.status ?? "")).toBe(true);
      expect(tr.data.outputKey).toBeTruthy();
      const pages: number[] = [];
      for await (const page of client.listTaskRuns(PLATFORM, WS, { jobRunKey, limit: 1 }, opts())) pages.push(page.items.length);
      expect(pages).toEqual([1, 1]);
      expect((await client.listTaskRuns(PLATFORM, WS, { jobRunKey }, opts()).all()).map((t) => t.key).sort()).toEqual(
        [...taskRunKeys].sort(),
      );
    });

    it("fetchOutput parses TaskRunOutput, keeps unknown enums, and sends one opc-retry-token across retries", async () => {
      emu.faults.add({ route: "aidp.fetchOutput", status: 503, times: 2 });
      const res = await client.fetchOutput(PLATFORM, WS, taskRunKeys[0]!, {}, opts());
      expect(res.attempts).toBe(3);
      expect(res.data.data).toEqual([
        { type: "TEXT_PLAIN", value: "hello" },
        { type: "HOLOGRAM", value: "x", compression: "ZSTD" },
      ]);
      expect(res.data.taskType).toBe("NOTEBOOK_TASK");
      const tokens = aidp.retryTokensSeen("aidp.fetchOutput");
      expect(tokens).toHaveLength(3);
      expect(new Set(tokens).size).toBe(1);
    });

    it("fetchOutput with an outputKey; a wrong one is a 404", async () => {
      const { data: tr } = await client.getTaskRun(PLATFORM, WS, taskRunKeys[1]!, opts());
      const res = await client.fetchOutput(PLATFORM, WS, taskRunKeys[1]!, { outputKey: tr.outputKey! }, opts());
      expect(res.data.data[0]?.value).toBe("done");
      await expect(client.fetchOutput(PLATFORM, WS, taskRunKeys[1]!, { outputKey: "other" }, opts())).rejects.toMatchObject({
        status: 404,
      });
    });

    it("fetchOutput keeps a long base64 value as AsciiText (no JS string of it), validated like the rest", async () => {
      const base64 = Buffer.alloc(120_000, 3).toString("base64");
      const wide = "naïve ".repeat(20_000);
      const {
        taskRunKeys: [big],
      } = aidp.addJobRun(PLATFORM, WS, {
        jobKey: "job-big",
        tasks: [
          {
            name: "big",
            output: {
              data: [
                { type: "IMAGE_PNG", isBase64: true, value: base64 },
                { type: "TEXT_PLAIN", value: wide },
                { type: "TEXT_PLAIN", value: "small" },
              ],
            },
          },
        ],
      });
      const res = await client.fetchOutput(PLATFORM, WS, big!, {}, opts());
      const [png, text, small] = res.data.data;
      expect(png?.value).toBeInstanceOf(AsciiText);
      expect(png?.value?.toString()).toBe(base64);
      expect(png).toMatchObject({ type: "IMAGE_PNG", isBase64: true });
      expect(text?.value).toBe(wide); // long but not ASCII: a string, as JSON.parse makes it
      expect(small?.value).toBe("small");
      // Printed as JSON (the CLI's `task-runs output`), it is the string again.
      expect(JSON.parse(JSON.stringify(res.data.data[0]))).toEqual({ type: "IMAGE_PNG", isBase64: true, value: base64 });

      // Every other field is still checked, next to a long value.
      emu.faults.add({ route: "aidp.fetchOutput", patchBody: { data: [{ type: "IMAGE_PNG", isBase64: "yes", value: base64 }] }, times: 1 });
      const err = await client.fetchOutput(PLATFORM, WS, big!, {}, opts()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(err).toMatchObject({ issues: [{ path: "data.0.isBase64" }] });
    });

    it("exportTaskRunOutput renders HTML and IPYNB", async () => {
      const { data: tr } = await client.getTaskRun(PLATFORM, WS, taskRunKeys[0]!, opts());
      const html = await client.exportTaskRunOutput(PLATFORM, WS, taskRunKeys[0]!, tr.outputKey!, { format: "HTML" }, opts());
      expect(html.data.content).toContain("hello");
      const nb = await client.exportTaskRunOutput(PLATFORM, WS, taskRunKeys[0]!, tr.outputKey!, { format: "IPYNB" }, opts());
      expect(() => JSON.parse(String(nb.data.content))).not.toThrow();
      expect(aidp.retryTokensSeen("aidp.exportOutput")).toHaveLength(2);
    });

    it("fields the SDK types as `any` take any JSON value: a 200 stays a 200", async () => {
      const odd = { "odd-number": 7, "odd-null": null, "odd-list": [1, "x"], "odd-text": "summary?" };
      emu.faults.add({ route: "aidp.getJobRun", patchBody: { taskRunSummaryMap: odd }, times: 1 });
      const { data } = await client.getJobRun(PLATFORM, WS, jobRunKey, opts());
      expect(data.taskRunSummaryMap).toEqual(odd);
      expect(Object.values(data.taskRunSummaryMap ?? {}).map(taskRunSummaryOf)).toEqual([undefined, undefined, undefined, undefined]);
      const typed = (await client.getJobRun(PLATFORM, WS, jobRunKey, opts())).data;
      expect(
        Object.values(typed.taskRunSummaryMap ?? {})
          .map((v) => taskRunSummaryOf(v)?.key)
          .sort(),
      ).toEqual([...taskRunKeys].sort());

      const { data: tr } = await client.getTaskRun(PLATFORM, WS, taskRunKeys[0]!, opts());
      for (const content of [{ html: "<p>x</p>" }, 42, null, ["a"]]) {
        emu.faults.add({ route: "aidp.exportOutput", patchBody: { content }, times: 1 });
        const res = await client.exportTaskRunOutput(PLATFORM, WS, taskRunKeys[0]!, tr.outputKey!, { format: "HTML" }, opts());
        expect(res.data.content).toEqual(content);
        expect(renderingText(res.data)).toMatchObject({
          problem: expect.stringMatching(/^AIDP answered an? (object|number|null|array)\b.*not the rendering's text$/),
        });
      }
      emu.faults.add({ route: "aidp.exportOutput", patchBody: { content: undefined }, times: 1 });
      const none = await client.exportTaskRunOutput(PLATFORM, WS, taskRunKeys[0]!, tr.outputKey!, { format: "HTML" }, opts());
      expect(renderingText(none.data)).toEqual({ problem: "AIDP answered no content, not the rendering's text" });
    });
  });

  it("a malformed body is a typed InvalidResponseError", async () => {
    const { key } = aidp.addOperation(PLATFORM, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "a.b.c" });
    emu.faults.add({ route: "aidp.getAsyncOperation", malformed: true, times: 1 });
    const err = await client.getAsyncOperation(PLATFORM, key, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).operation).toBe("aidp.getAsyncOperation");
  });

  it("rides out a 429 storm with Retry-After on list calls", async () => {
    emu.faults.add({ route: "aidp.listAsyncOperations", status: 429, retryAfter: 0.1, times: 3 });
    const t0 = Date.now();
    await client.listAsyncOperations(PLATFORM, { status: "SUCCEEDED" }, opts()).all();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(emu.stats.count("aidp.listAsyncOperations")).toBe(4);
  });
});
