import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sampleOutputsWithExpectations } from "../../../emulator/services/aidp/sample-outputs.js";
import { parsePointer } from "../../../shared/export/current-pointer.js";
import { ExportIncompleteError, UnsafeKeyError } from "../../../shared/export/export-errors.js";
import { exportTaskRun } from "../../../shared/export/export-task-run.js";
import type { ExportSettings } from "../../../shared/export/export-settings.js";
import { parseManifest } from "../../../shared/export/manifest.js";
import { MemoryObjectStore } from "../../support/memory-object-store.js";
import type { PutOptions, PutStreamOptions } from "../../../shared/storage/object-store.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeExportAidp } from "../../support/fake-export-aidp.js";

const P = "ocid1.aidataplatform.oc1.iad.unit";
const WS = "ws";
const settings: ExportSettings = { prefix: "outputs", limits: {} };
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const req = (taskRunKey: string, outputKey?: string) => ({ platformId: P, workspaceKey: WS, taskRunKey, outputKey });

/** Fails the `failAt`-th write (put or putStream, 1-based) with a non-retryable error. */
class FaultyStore extends MemoryObjectStore {
  writes = 0;
  constructor(private failAt = Number.POSITIVE_INFINITY) {
    super("out");
  }
  private tick(name: string): void {
    this.writes++;
    if (this.writes === this.failAt) throw new Error(`injected fault on write ${this.writes} (${name})`);
  }
  override async put(name: string, body: Buffer | string, options: PutOptions) {
    this.tick(name);
    return super.put(name, body, options);
  }
  override async putStream(name: string, body: Readable, options: PutStreamOptions) {
    this.tick(name);
    return super.putStream(name, body, options);
  }
}

function textPart(text: string) {
  return { type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: gzipSync(Buffer.from(text)).toString("base64") };
}

function setup(outputs: Record<string, { data: Array<Record<string, unknown>>; version?: number }>, taskRun: Record<string, unknown> = {}) {
  const aidp = new FakeExportAidp().add({
    taskRun: { key: "tr1", jobRunKey: "jr1", outputKey: "out", state: { status: "SUCCESS" }, ...taskRun },
    outputs: outputs as never,
  });
  return aidp;
}

async function manifestOf(store: MemoryObjectStore, name: string) {
  const obj = await store.get(name, { deadline: Deadline.none() });
  return obj ? parseManifest(obj.body) : undefined;
}

/** Every archived part exists with the listed size and hash. */
async function expectConsistent(store: MemoryObjectStore, manifestName: string) {
  const m = await manifestOf(store, manifestName);
  expect(m).toBeDefined();
  for (const p of m!.parts) {
    if (p.status !== "archived") continue;
    const obj = await store.get(p.object, { deadline: Deadline.none() });
    expect(obj, p.object).toBeDefined();
    expect(obj!.body.length).toBe(p.bytes);
    expect(sha(obj!.body)).toBe(p.sha256);
    expect(obj!.metadata).toMatchObject({ "task-run": "tr1", "part-index": String(p.index), sha256: p.sha256 });
  }
  return m!;
}

describe("exportTaskRun (core, in-memory store)", () => {
  const deps = (aidp: FakeExportAidp, store: MemoryObjectStore) => ({ aidp, store, clock: new FakeClock() });
  const call = { deadline: Deadline.none() };

  it("archives every sample output form with the expected hash, then the manifest and the pointer", async () => {
    const samples = sampleOutputsWithExpectations();
    const aidp = setup({ out: { data: samples.map((s) => s.part), version: 4 } });
    const store = new MemoryObjectStore("out");
    const outcome = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    expect(outcome).toMatchObject({
      status: "exported",
      outputKey: "out",
      version: 4,
      jobRunKey: "jr1",
      parts: samples.length,
      failedParts: 0,
      pointer: "created",
    });
    expect(outcome.writes).toBe(samples.length + 2);
    const m = await expectConsistent(store, outcome.manifest!);
    samples.forEach((s, i) => {
      const p = m.parts[i]!;
      expect(p.status, s.name).toBe("archived");
      if (p.status === "archived") {
        expect(p.sha256, s.name).toBe(s.expected.sha256);
        expect(p.contentType.split(";")[0], s.name).toBe(s.expected.contentType);
        expect(p.object.endsWith(`.${s.expected.extension}`), s.name).toBe(true);
      }
    });
    expect(m).toMatchObject({ complete: true, taskRunStatus: "SUCCESS", version: 4, outputKey: "out" });
    const pointer = parsePointer((await store.get(outcome.current!, { deadline: Deadline.none() }))!.body);
    expect(pointer).toMatchObject({ version: 4, manifest: outcome.manifest });
  });

  it("re-exporting the same version writes nothing", async () => {
    const aidp = setup({ out: { data: [textPart("a"), textPart("b")], version: 1 } });
    const store = new MemoryObjectStore("out");
    await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    const puts = store.calls.put + store.calls.putStream;
    const again = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    expect(again).toMatchObject({ status: "already-exported", writes: 0, pointer: "kept", parts: 2 });
    expect(store.calls.put + store.calls.putStream).toBe(puts);
  });

  it("a newer version is written alongside and becomes current; an older one never replaces it", async () => {
    const aidp = setup({ out: { data: [textPart("v1")], version: 1 } });
    const store = new MemoryObjectStore("out");
    const v1 = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    aidp.runs.get("tr1")!.outputs.out = { data: [textPart("v2")], version: 2 };
    const v2 = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    expect(v2).toMatchObject({ status: "exported", pointer: "replaced" });
    expect(v2.manifest).not.toBe(v1.manifest);
    expect(await manifestOf(store, v1.manifest!)).toBeDefined();
    const current = () => store.get(v2.current!, { deadline: Deadline.none() }).then((o) => parsePointer(o!.body));
    expect(await current()).toMatchObject({ version: 2, manifest: v2.manifest });
    // The old version comes back (a stale event): its manifest exists, the pointer stays on v2.
    aidp.runs.get("tr1")!.outputs.out = { data: [textPart("v1")], version: 1 };
    expect(await exportTaskRun(deps(aidp, store), settings, req("tr1"), call)).toMatchObject({
      status: "already-exported",
      pointer: "kept",
      writes: 0,
    });
    expect(await current()).toMatchObject({ version: 2 });
  });

  it("records an undecodable part with its error and keeps its raw value, archiving the others", async () => {
    const bad = { type: "IMAGE_PNG", isBase64: true, value: "not*base64!" };
    const aidp = setup({ out: { data: [textPart("ok"), bad, textPart("also ok")], version: 1 } });
    const store = new MemoryObjectStore("out");
    const outcome = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    expect(outcome).toMatchObject({ status: "exported", parts: 3, failedParts: 1 });
    const m = await expectConsistent(store, outcome.manifest!);
    expect(m.complete).toBe(false);
    const failed = m.parts[1]!;
    expect(failed).toMatchObject({ status: "failed", type: "IMAGE_PNG", error: { code: "INVALID_BASE64" } });
    if (failed.status === "failed") {
      const raw = await store.get(failed.undecoded!.object, { deadline: Deadline.none() });
      expect(raw!.body.toString()).toBe("not*base64!");
      expect(failed.undecoded!.sha256).toBe(sha("not*base64!"));
    }
    expect(m.parts.filter((p) => p.status === "archived")).toHaveLength(2);
  });

  it("streams parts larger than the buffer through putStream, with the same hash", async () => {
    const big = "line of output text\n".repeat(50_000); // 1 MB
    const aidp = setup({ out: { data: [textPart(big)], version: 1 } });
    const store = new MemoryObjectStore("out");
    const outcome = await exportTaskRun(deps(aidp, store), { ...settings, bufferPartBytes: 64 * 1024 }, req("tr1"), call);
    expect(store.calls.putStream).toBe(1);
    const m = await expectConsistent(store, outcome.manifest!);
    expect(m.parts[0]).toMatchObject({ status: "archived", bytes: big.length, sha256: sha(big) });
  });

  it("two concurrent exports of the same run: one manifest, both succeed, consistent archive", async () => {
    const aidp = setup({ out: { data: [textPart("x"), textPart("y"), textPart("z")], version: 1 } });
    const store = new MemoryObjectStore("out");
    const [a, b] = await Promise.all([
      exportTaskRun(deps(aidp, store), settings, req("tr1"), call),
      exportTaskRun(deps(aidp, store), settings, req("tr1"), call),
    ]);
    expect([a.status, b.status].sort()).toEqual(["exported", "exported-concurrently"]);
    expect(store.names().filter((n) => n.endsWith("manifest.json"))).toHaveLength(1);
    await expectConsistent(store, a.manifest!);
  });

  it("a fault at any write leaves no manifest; a rerun completes the export correctly", async () => {
    const data = [textPart("one"), { type: "IMAGE_PNG", isBase64: true, value: "!!" }, textPart("three")];
    const clean = new FaultyStore();
    await exportTaskRun(deps(setup({ out: { data, version: 1 } }), clean), settings, req("tr1"), call);
    const total = clean.writes; // 3 parts (one .undecoded) + index.html (the viewer) + manifest + pointer
    expect(total).toBe(6);
    for (let failAt = 1; failAt <= total; failAt++) {
      const store = new FaultyStore(failAt);
      const aidp = setup({ out: { data, version: 1 } });
      await expect(exportTaskRun(deps(aidp, store), settings, req("tr1"), call)).rejects.toThrow(/injected fault/);
      const manifestWritten = failAt > 5;
      expect(
        store.names().some((n) => n.endsWith("manifest.json")),
        `fault at ${failAt}`,
      ).toBe(manifestWritten);
      const rerun = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
      expect(rerun.status, `fault at ${failAt}`).toBe(manifestWritten ? "already-exported" : "exported");
      await expectConsistent(store, rerun.manifest!);
      expect(store.names()).toEqual(clean.names());
    }
  });

  it("rejects hostile keys, including an output key that comes from AIDP, writing nothing", async () => {
    const store = new MemoryObjectStore("out");
    const aidp = setup({ "..": { data: [textPart("x")] } }, { outputKey: ".." });
    await expect(exportTaskRun(deps(aidp, store), settings, req("tr1"), call)).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(exportTaskRun(deps(aidp, store), settings, req("../tr1"), call)).rejects.toThrow(/taskRunKey/);
    await expect(exportTaskRun(deps(aidp, store), settings, req("tr1", "a\nb"), call)).rejects.toThrow(/control characters/);
    expect(store.names()).toEqual([]);
    expect(aidp.calls.fetchOutput).toBe(0);
  });

  it("stops before the manifest when the deadline has passed", async () => {
    const clock = new FakeClock();
    const aidp = setup({ out: { data: [textPart("x")], version: 1 } });
    const store = new MemoryObjectStore("out");
    const err = await exportTaskRun({ aidp, store, clock }, settings, req("tr1"), { deadline: Deadline.at(clock.now() - 1, clock) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExportIncompleteError);
    expect(store.names()).toEqual([]);
  });

  it("reports no-output when AIDP has no output for the task run", async () => {
    const aidp = setup({}, { outputKey: undefined });
    const store = new MemoryObjectStore("out");
    expect(await exportTaskRun(deps(aidp, store), settings, req("tr1"), call)).toMatchObject({ status: "no-output", writes: 0 });
  });

  it("files an output without key or version under @none/unversioned, and an explicit output key wins", async () => {
    const aidp = setup({ "": { data: [textPart("x")] }, other: { data: [textPart("y")], version: 3 } }, { outputKey: undefined });
    const store = new MemoryObjectStore("out");
    const a = await exportTaskRun(deps(aidp, store), settings, req("tr1"), call);
    expect(a.manifest).toBe(`outputs/${P}/${WS}/tr1/@none/unversioned/manifest.json`);
    const b = await exportTaskRun(deps(aidp, store), settings, req("tr1", "other"), call);
    expect(b.manifest).toBe(`outputs/${P}/${WS}/tr1/other/v3/manifest.json`);
  });
});
