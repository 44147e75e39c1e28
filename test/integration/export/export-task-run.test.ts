import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sampleOutputsWithExpectations } from "../../../emulator/services/aidp/sample-outputs.js";
import { parsePointer } from "../../../shared/export/current-pointer.js";
import { ExportIncompleteError, UnsafeKeyError } from "../../../shared/export/export-errors.js";
import { type ExportRequest, exportTaskRun } from "../../../shared/export/export-task-run.js";
import type { ExportSettings } from "../../../shared/export/export-settings.js";
import { type Manifest, parseManifest } from "../../../shared/export/manifest.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, startExportHarness, WS } from "./export-harness.js";

const settings: ExportSettings = { prefix: "outputs", limits: {} };
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const gz = (text: string) => ({
  type: "TEXT_PLAIN",
  isBase64: true,
  compression: "GZIP",
  value: gzipSync(Buffer.from(text)).toString("base64"),
});

describe("export against the emulator (AIDP + Object Storage)", () => {
  let h: ExportHarness;
  let seq = 0;
  beforeAll(async () => {
    h = await startExportHarness();
  });
  afterEach(() => {
    h.emu.faults.clear();
    h.emu.stats.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  /** A finished job run with one task whose output is `data`; returns the export request. */
  function seed(data: Array<Record<string, unknown>>, version = 1): ExportRequest {
    seq++;
    const { taskRunKeys } = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: `job-${seq}`,
      tasks: [{ name: "t", output: { data: data as never, version } }],
    });
    return { platformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0]! };
  }
  const run = (req: ExportRequest, deadlineMs = 30_000) =>
    exportTaskRun({ aidp: h.client, store: h.outStore }, settings, req, { deadline: Deadline.in(deadlineMs) });

  function manifestAt(name: string): Manifest {
    const obj = h.os.getObject(OUT_BUCKET, name);
    expect(obj, name).toBeDefined();
    const m = parseManifest(obj!.body);
    expect(m, name).toBeDefined();
    return m!;
  }

  /** Every part listed as archived exists with its size, sha256 and metadata. */
  function expectComplete(manifestName: string): Manifest {
    const m = manifestAt(manifestName);
    for (const p of m.parts) {
      if (p.status !== "archived") continue;
      const obj = h.os.getObject(OUT_BUCKET, p.object);
      expect(obj, p.object).toBeDefined();
      expect(obj!.body.length).toBe(p.bytes);
      expect(sha(obj!.body)).toBe(p.sha256);
      expect(obj!.contentType).toBe(p.contentType);
      expect(obj!.meta).toMatchObject({ "task-run": m.taskRunKey, "part-index": String(p.index), sha256: p.sha256 });
    }
    return m;
  }

  it("archives every output form; each object's sha256 equals the expected one", async () => {
    const samples = sampleOutputsWithExpectations();
    const req = seed(
      samples.map((s) => s.part),
      3,
    );
    const outcome = await run(req);
    expect(outcome).toMatchObject({ status: "exported", version: 3, parts: samples.length, failedParts: 0, bucket: OUT_BUCKET });
    const m = expectComplete(outcome.manifest!);
    expect(m.jobRunKey).toBeTruthy();
    expect(m.taskRunStatus).toBe("SUCCESS");
    samples.forEach((s, i) => {
      const p = m.parts[i]!;
      expect(p.status, s.name).toBe("archived");
      if (p.status !== "archived") return;
      expect(sha(h.os.getObject(OUT_BUCKET, p.object)!.body), s.name).toBe(s.expected.sha256);
      expect(p.contentType.split(";")[0], s.name).toBe(s.expected.contentType);
      expect(p.object, s.name).toMatch(new RegExp(`/v3/${String(i).padStart(3, "0")}-[a-z_]+\\.${s.expected.extension}$`));
    });
    // The manifest is the last object of the version folder to be written; the pointer names it.
    expect(parsePointer(h.os.getObject(OUT_BUCKET, outcome.current!)!.body)).toMatchObject({ version: 3, manifest: outcome.manifest });
  });

  it("sends one opc-retry-token for every attempt of fetchOutput, and retries transient AIDP faults", async () => {
    const req = seed([gz("hello")]);
    h.aidp.clearRetryTokens();
    h.emu.faults.add({ route: "aidp.fetchOutput", status: 503, times: 2 });
    h.emu.faults.add({ route: "aidp.getTaskRun", status: 429, times: 1 });
    const outcome = await run(req);
    expect(outcome.status).toBe("exported");
    const tokens = h.aidp.retryTokensSeen("aidp.fetchOutput");
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });

  it("re-exporting is a no-op: zero Object Storage writes", async () => {
    const req = seed([gz("a"), gz("b"), { type: "IMAGE_PNG", isBase64: true, value: "@@" }]);
    const first = await run(req);
    h.emu.stats.reset();
    const again = await run(req);
    expect(again).toMatchObject({ status: "already-exported", writes: 0, manifest: first.manifest });
    expect(h.osWrites()).toBe(0);
    expect(h.emu.stats.count("os.putObject")).toBe(0);
  });

  it("two concurrent exports of the same run converge on one complete archive", async () => {
    const req = seed([gz("x".repeat(1000)), gz("y"), gz("z")]);
    const [a, b] = await Promise.all([run(req), run(req)]);
    expect([a.status, b.status].sort()).toEqual(["exported", "exported-concurrently"]);
    expect(
      h.os.listObjectNames(OUT_BUCKET, a.manifest!.replace(/manifest\.json$/, "")).filter((n) => n.endsWith("manifest.json")),
    ).toHaveLength(1);
    expectComplete(a.manifest!);
  });

  it("records an undecodable part with its error while the others are archived", async () => {
    const bad = { type: "TEXT_HTML", isBase64: true, compression: "GZIP", value: Buffer.from("this is not gzip").toString("base64") };
    const req = seed([gz("first"), bad, gz("third")]);
    const outcome = await run(req);
    expect(outcome).toMatchObject({ status: "exported", parts: 3, failedParts: 1 });
    const m = expectComplete(outcome.manifest!);
    expect(m.complete).toBe(false);
    expect(m.parts[1]).toMatchObject({ status: "failed", error: { code: "CORRUPT_COMPRESSED_DATA" } });
    const failed = m.parts[1]!;
    if (failed.status === "failed") expect(h.os.getObject(OUT_BUCKET, failed.undecoded!.object)!.body.toString()).toBe(bad.value);
  });

  it("an undecodable long value (fetched as bytes, not a string) is archived raw, byte for byte", async () => {
    const bad = { type: "IMAGE_PNG", isBase64: true, compression: "GZIP", value: Buffer.alloc(200_000, 9).toString("base64") };
    const outcome = await run(seed([bad]));
    const m = expectComplete(outcome.manifest!);
    const failed = m.parts[0]!;
    expect(failed).toMatchObject({ status: "failed", undecoded: { bytes: bad.value.length } });
    if (failed.status === "failed") {
      const stored = h.os.getObject(OUT_BUCKET, failed.undecoded!.object)!;
      expect(stored.body.toString("latin1")).toBe(bad.value);
      expect(stored.meta.sha256).toBe(createHash("sha256").update(bad.value).digest("hex"));
    }
  });

  it("a transient Object Storage fault at any write is retried within the deadline", async () => {
    const data = [gz("one"), gz("two")];
    const clean = seed(data);
    await run(clean);
    const writes = h.emu.stats.count("os.putObject");
    expect(writes).toBe(7); // 2 parts + viewer (AIDP's HTML and IPYNB renderings, index.html) + manifest + pointer
    for (let skip = 0; skip < writes; skip++) {
      h.emu.faults.clear();
      h.emu.faults.add({ route: "os.putObject", status: 503, skip, times: 1 });
      const req = seed(data);
      const outcome = await run(req);
      expect(outcome.status, `503 on write ${skip + 1}`).toBe("exported");
      expectComplete(outcome.manifest!);
    }
  });

  it("a fault between any two writes leaves no manifest (or only the pointer missing); a rerun completes the export", async () => {
    const data = [gz("alpha"), { type: "IMAGE_PNG", isBase64: true, value: "??" }, gz("gamma")];
    const clean = seed(data);
    const reference = await run(clean);
    const cleanNames = h.os
      .listObjectNames(OUT_BUCKET, reference.manifest!.replace(/v1\/manifest\.json$/, ""))
      .map((n) => n.slice(n.indexOf("/@") + 1));
    const writes = h.emu.stats.count("os.putObject");
    expect(writes).toBe(8); // 2 parts + 1 undecoded + viewer (2 AIDP renderings, index.html) + manifest + pointer
    for (let skip = 0; skip < writes; skip++) {
      h.emu.faults.clear();
      // A persistent (non-retryable) failure of write `skip + 1`.
      h.emu.faults.add({ route: "os.putObject", status: 400, code: "InvalidParameter", skip, times: 1 });
      const req = seed(data);
      await expect(run(req), `fault on write ${skip + 1}`).rejects.toThrow();
      const folder = `outputs/${PLATFORM}/${WS}/${req.taskRunKey}/`;
      const hasManifest = h.os.listObjectNames(OUT_BUCKET, folder).some((n) => n.endsWith("/manifest.json"));
      expect(hasManifest, `fault on write ${skip + 1}`).toBe(skip === writes - 1);
      h.emu.faults.clear();
      const rerun = await run(req);
      expect(rerun.status).toBe(skip === writes - 1 ? "already-exported" : "exported");
      const m = expectComplete(rerun.manifest!);
      expect(m.parts).toHaveLength(3);
      expect(parsePointer(h.os.getObject(OUT_BUCKET, rerun.current!)!.body)?.manifest).toBe(rerun.manifest);
      expect(h.os.listObjectNames(OUT_BUCKET, folder)).toHaveLength(cleanNames.length);
    }
  });

  it("a fault that outlasts the clients' retries leaves no manifest; the next attempt redoes the export", async () => {
    const req = seed([gz("slow"), gz("ok")]);
    h.emu.faults.add({ route: "os.putObject", status: 503, skip: 1 }); // every write after the first fails
    await expect(run(req)).rejects.toThrow(/503/);
    const folder = `outputs/${PLATFORM}/${WS}/${req.taskRunKey}/`;
    expect(h.os.listObjectNames(OUT_BUCKET, folder).some((n) => n.endsWith("manifest.json"))).toBe(false);
    h.emu.faults.clear();
    const rerun = await run(req);
    expect(rerun.status).toBe("exported");
    expectComplete(rerun.manifest!);
  });

  it("a write cut by the deadline leaves no manifest; the next attempt resumes", async () => {
    const req = seed([gz("first"), gz("second")]);
    h.emu.faults.add({ route: "os.putObject", latencyMs: 1200, skip: 1, times: 1 }); // the second part is slow
    const err = await run(req, 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportIncompleteError);
    const folder = `outputs/${PLATFORM}/${WS}/${req.taskRunKey}/`;
    expect(h.os.listObjectNames(OUT_BUCKET, folder).some((n) => n.endsWith("manifest.json"))).toBe(false);
    h.emu.faults.clear();
    // The client closed the slow write's socket at the deadline; the emulator, like a
    // service that got the whole body, still stores it when its latency is over.
    await new Promise((r) => setTimeout(r, 400));
    h.emu.stats.reset();
    const rerun = await run(req);
    expect(rerun.status).toBe("exported");
    // Both parts were already there with the right hash: only the viewer (2 AIDP renderings, index.html), the manifest and the pointer are written.
    expect(h.emu.stats.count("os.putObject")).toBe(5);
    expectComplete(rerun.manifest!);
  });

  it("rejects hostile keys before any call or write", async () => {
    const hostile: Array<Partial<ExportRequest>> = [
      { workspaceKey: ".." },
      { taskRunKey: "../../etc/passwd" },
      { taskRunKey: "a\u0000b" },
      { outputKey: "x\r\ny" },
      { outputKey: "o".repeat(101) },
      { workspaceKey: "w\u202ex" },
    ];
    for (const bad of hostile) {
      const err = await run({ platformId: PLATFORM, workspaceKey: WS, taskRunKey: "tr", ...bad }).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).toBeInstanceOf(UnsafeKeyError);
    }
    expect(h.emu.stats.count("*")).toBe(0);
  });

  it("a task run without output (404 past the grace window after its end) is reported as no-output and writes nothing", async () => {
    const { taskRunKeys } = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "no-output",
      timeCreated: Date.now() - 2 * 3600_000,
      tasks: [{ name: "t", outputKey: null }],
    });
    const outcome = await run({ platformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0]! });
    expect(outcome).toMatchObject({ status: "no-output", writes: 0 });
    expect(h.osWrites()).toBe(0);
  });
});
