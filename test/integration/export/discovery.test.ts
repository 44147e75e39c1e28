import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runConfiguredExportDiscovery } from "../../../functions/export/discovery-hook.js";
import type { Invocation } from "../../../functions/invocation.js";
import { loadConfig } from "../../../shared/config/load-config.js";
import { parseDiscoveryState } from "../../../shared/export/discovery-state.js";
import { runExportDiscovery } from "../../../shared/export/discovery.js";
import { createLogger } from "../../../shared/log/logger.js";
import { MemorySink } from "../../support/memory-log-sink.js";
import { MemoryNotifier } from "../../support/memory-notifier.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, STATE_BUCKET, startExportHarness, WS } from "./export-harness.js";

const H = 3600_000;
const gz = (text: string) => ({
  type: "TEXT_PLAIN",
  isBase64: true,
  compression: "GZIP",
  value: gzipSync(Buffer.from(text)).toString("base64"),
});
const output = (text: string) => ({ data: [gz(text)] as never });

describe("automatic export discovery against the emulator", () => {
  const clock = new FakeClock();
  let h: ExportHarness;
  const config = loadConfig({
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_EXPORT_WORKSPACES: WS,
    AIDP_WATCH_STATE_BUCKET: STATE_BUCKET,
    AIDP_WATCH_OUTPUT_BUCKET: OUT_BUCKET,
  });
  const sink = new MemorySink();
  const sweep = () =>
    runExportDiscovery({ aidp: h.client, outputStore: h.outStore, stateStore: h.stateStore }, config, {
      workDeadline: Deadline.in(60_000),
      logger: createLogger({ level: "warn", sink }),
      clock,
    });
  const manifests = () => h.os.listObjectNames(OUT_BUCKET).filter((n) => n.endsWith("/manifest.json"));
  const state = () => parseDiscoveryState(h.os.getObject(STATE_BUCKET, `aidp-watch/exports/${PLATFORM}/${WS}/watermark.json`)!.body)!;

  beforeAll(async () => {
    h = await startExportHarness({ clock });
  });
  afterEach(() => {
    h.emu.faults.clear();
    h.emu.stats.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  it("exports finished job runs once, holds the watermark at unfinished ones, and never forgets a task run", async () => {
    const t0 = clock.now();
    // Older than the lookback window: never looked at.
    h.aidp.addJobRun(PLATFORM, WS, { jobKey: "ancient", timeCreated: t0 - 48 * H, tasks: [{ name: "a", output: output("ancient") }] });
    const done = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "done",
      timeCreated: t0 - 3 * H,
      tasks: [
        { name: "a", output: output("a") },
        { name: "b", output: output("b") },
        { name: "no-output", outputKey: null },
      ],
    });
    const failed = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "failed",
      timeCreated: t0 - 2 * H,
      tasks: [
        { name: "x", output: output("x"), finalStatus: "FAILED" },
        { name: "never-ran", output: output("never") },
      ],
    });
    const running = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "running",
      timeCreated: t0 - H,
      durationMs: 2 * H,
      tasks: [{ name: "r", output: output("r") }],
    });

    const first = await sweep();
    const ws = first.workspaces[0]!;
    expect(ws).toMatchObject({
      jobRunsListed: 3,
      jobRunsDone: 2,
      taskRunsExported: 3,
      taskRunsWithoutOutput: 2,
      jobRunsRunning: 1,
      failures: [],
      stateSaved: true,
    });
    expect(manifests()).toHaveLength(3);
    for (const key of [done.taskRunKeys[0], done.taskRunKeys[1], failed.taskRunKeys[0]])
      expect(manifests().some((m) => m.includes(`/${key}/`))).toBe(true);
    expect(state().watermarkMs).toBe(t0 - H); // held at the running job run
    // Both finished job runs are older than watermark - margin: a later list never returns them, so they need no "done" entry.
    expect(state().done).toEqual([]);

    // Nothing new: no export writes, only the state object is saved.
    h.emu.stats.reset();
    const second = await sweep();
    expect(second.workspaces[0]).toMatchObject({ taskRunsExported: 0, jobRunsRunning: 1 });
    expect(h.emu.stats.count("os.putObject")).toBe(1);
    expect(h.emu.stats.count("aidp.fetchOutput")).toBe(0);

    // The running job run finishes: its task run is exported and the watermark moves on.
    await clock.advance(2 * H);
    const third = await sweep();
    expect(third.workspaces[0]).toMatchObject({ taskRunsExported: 1, jobRunsRunning: 0 });
    expect(manifests().some((m) => m.includes(`/${running.taskRunKeys[0]}/`))).toBe(true);
    expect(state().watermarkMs).toBe(t0 - H);
    expect(state().done.map((d) => d.key)).toContain(running.key);
    expect(manifests()).toHaveLength(4);
  });

  it("a failed export holds the watermark and is retried by the next sweep", async () => {
    const before = state().watermarkMs;
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "flaky",
      timeCreated: clock.now() - 10 * 60_000,
      tasks: [{ name: "f", output: output("flaky") }],
    });
    h.emu.faults.add({ route: "aidp.fetchOutput", status: 400, code: "InvalidParameter" });
    const failing = await sweep();
    expect(failing.workspaces[0]!.failures).toEqual([expect.objectContaining({ jobRunKey: j.key, taskRunKey: j.taskRunKeys[0] })]);
    expect(state().watermarkMs).toBe(clock.now() - 10 * 60_000); // exactly the job run that failed
    expect(state().watermarkMs).toBeGreaterThan(before);
    expect(state().done.map((d) => d.key)).not.toContain(j.key);
    h.emu.faults.clear();
    const retried = await sweep();
    expect(retried.workspaces[0]).toMatchObject({ taskRunsExported: 1, failures: [] });
    expect(manifests().some((m) => m.includes(`/${j.taskRunKeys[0]}/`))).toBe(true);
    expect(state().done.map((d) => d.key)).toContain(j.key);
  });

  it("an already archived task run is skipped without calling fetchOutput (e.g. exported by an event first)", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "evented",
      timeCreated: clock.now() - 60_000,
      tasks: [{ name: "e", output: output("e") }],
    });
    const { exportTaskRun } = await import("../../../shared/export/export-task-run.js");
    await exportTaskRun(
      { aidp: h.client, store: h.outStore },
      { prefix: config.AIDP_WATCH_OUTPUT_PREFIX, limits: {} },
      { platformId: PLATFORM, workspaceKey: WS, taskRunKey: j.taskRunKeys[0]! },
      { deadline: Deadline.in(30_000) },
    );
    h.emu.stats.reset();
    const report = await sweep();
    expect(report.workspaces[0]).toMatchObject({ taskRunsExported: 0, taskRunsAlreadyArchived: 1 });
    expect(h.emu.stats.count("aidp.fetchOutput")).toBe(0);
  });

  it("a workspace that cannot be listed is reported and does not stop the others", async () => {
    const cfg = loadConfig({
      AIDP_WATCH_PLATFORM_IDS: PLATFORM,
      AIDP_WATCH_EXPORT_WORKSPACES: `missing-ws,${WS}`,
      AIDP_WATCH_STATE_BUCKET: STATE_BUCKET,
      AIDP_WATCH_OUTPUT_BUCKET: OUT_BUCKET,
    });
    const report = await runExportDiscovery({ aidp: h.client, outputStore: h.outStore, stateStore: h.stateStore }, cfg, {
      workDeadline: Deadline.in(30_000),
      logger: createLogger({ level: "silent" }),
      clock,
    });
    expect(report.workspaces).toHaveLength(2);
    expect(report.workspaces[0]).toMatchObject({ workspaceKey: "missing-ws", error: expect.stringMatching(/404/) });
    expect(report.workspaces[1]).toMatchObject({ workspaceKey: WS, stateSaved: true });
  });

  it("runConfiguredExportDiscovery (what poll calls): off by default, reports a missing output bucket, runs when configured", async () => {
    const invocation = (env: Record<string, string>): Invocation => ({
      config: loadConfig({ AIDP_WATCH_PLATFORM_IDS: PLATFORM, AIDP_WATCH_STATE_BUCKET: STATE_BUCKET, ...env }),
      workDeadline: Deadline.in(30_000),
      hardDeadline: Deadline.in(35_000),
      callId: "test",
      logger: createLogger({ level: "silent" }),
      clock,
    });
    const services = { aidp: h.client, outputStore: h.outStore, stateStore: h.stateStore };
    expect(await runConfiguredExportDiscovery(services, invocation({}))).toBeUndefined();
    expect(
      await runConfiguredExportDiscovery({ ...services, outputStore: undefined }, invocation({ AIDP_WATCH_EXPORT_WORKSPACES: WS })),
    ).toMatchObject({
      workspaces: [],
      error: expect.stringMatching(/AIDP_WATCH_OUTPUT_BUCKET/),
    });
    // With a topic, a finished job run is announced with links to its manifests in the services' namespace.
    h.aidp.addJobRun(PLATFORM, WS, { jobKey: "announced", timeCreated: clock.now(), tasks: [{ name: "a", output: output("announced") }] });
    const notifier = new MemoryNotifier();
    const report = await runConfiguredExportDiscovery(
      { ...services, notifier, namespace: "discoveryns" },
      invocation({ AIDP_WATCH_EXPORT_WORKSPACES: WS, AIDP_WATCH_OUTPUT_BUCKET: OUT_BUCKET }),
    );
    expect(report?.workspaces[0]).toMatchObject({ workspaceKey: WS, stateSaved: true });
    expect(notifier.messages.map((m) => m.body).join("\n")).toContain(`oci://${OUT_BUCKET}@discoveryns/`);
  });
});
