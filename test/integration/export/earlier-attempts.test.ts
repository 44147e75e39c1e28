import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../shared/config/load-config.js";
import { runExportDiscovery } from "../../../shared/export/discovery.js";
import { exportTaskRun } from "../../../shared/export/export-task-run.js";
import { parseManifest } from "../../../shared/export/manifest.js";
import { createLogger } from "../../../shared/log/logger.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { MemorySink } from "../../support/memory-log-sink.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, STATE_BUCKET, startExportHarness, WS } from "./export-harness.js";

const text = (value: string, version = 1) => ({ data: [{ type: "TEXT_PLAIN", value }] as never, version });

/** A task run AIDP retried: each earlier attempt's output (its own output key in `retries[]`) is archived too. */
describe("earlier attempts of a task run are archived, each as its own output", () => {
  let h: ExportHarness;
  beforeAll(async () => {
    h = await startExportHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const body = (name: string) => h.os.getObject(OUT_BUCKET, name)!.body.toString("utf8");
  const folderOf = (taskRunKey: string, outputKey: string) => `outputs/${PLATFORM}/${WS}/${taskRunKey}/${outputKey}/`;

  it("export archives the failed attempts' outputs before the current one", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "retried",
      timeCreated: Date.now() - 60_000,
      tasks: [
        {
          name: "r",
          outputKey: "attempt-2",
          output: text("third time lucky", 3),
          earlierAttempts: [
            { outputKey: "attempt-0", output: text("first failure: disk full") },
            { outputKey: "attempt-1", output: text("second failure: timeout", 2) },
          ],
        },
      ],
    });
    const taskRunKey = j.taskRunKeys[0]!;
    const outcome = await exportTaskRun(
      { aidp: h.client, store: h.outStore },
      { prefix: "outputs", limits: {} },
      { platformId: PLATFORM, workspaceKey: WS, taskRunKey },
      { deadline: Deadline.in(30_000) },
    );
    expect(outcome).toMatchObject({ status: "exported", outputKey: "attempt-2", version: 3 });
    expect(outcome.earlierAttempts).toEqual([
      expect.objectContaining({
        status: "exported",
        outputKey: "attempt-0",
        version: 1,
        manifest: `${folderOf(taskRunKey, "attempt-0")}v1/manifest.json`,
      }),
      expect.objectContaining({
        status: "exported",
        outputKey: "attempt-1",
        version: 2,
        manifest: `${folderOf(taskRunKey, "attempt-1")}v2/manifest.json`,
      }),
    ]);
    expect(body(`${folderOf(taskRunKey, "attempt-0")}v1/000-text_plain.txt`)).toBe("first failure: disk full");
    expect(body(`${folderOf(taskRunKey, "attempt-1")}v2/000-text_plain.txt`)).toBe("second failure: timeout");
    expect(body(`${folderOf(taskRunKey, "attempt-2")}v3/000-text_plain.txt`)).toBe("third time lucky");
    expect(body(`${folderOf(taskRunKey, "attempt-0")}v1/aidp-rendering.html`)).toContain("first failure: disk full"); // AIDP renders an earlier attempt by its key too
    expect(parseManifest(h.os.getObject(OUT_BUCKET, `${folderOf(taskRunKey, "attempt-0")}v1/manifest.json`)!.body)).toMatchObject({
      outputKey: "attempt-0",
      taskRunStatus: "FAILED",
      earlierAttempt: { retryAttempt: 0 },
    });
    expect(parseManifest(h.os.getObject(OUT_BUCKET, `${folderOf(taskRunKey, "attempt-2")}v3/manifest.json`)!.body)).toMatchObject({
      taskRunStatus: "SUCCESS",
    });
    expect(
      parseManifest(h.os.getObject(OUT_BUCKET, `${folderOf(taskRunKey, "attempt-2")}v3/manifest.json`)!.body)!.earlierAttempt,
    ).toBeUndefined();

    // Asked for one key, only that one is archived.
    const only = await exportTaskRun(
      { aidp: h.client, store: h.outStore },
      { prefix: "outputs", limits: {} },
      { platformId: PLATFORM, workspaceKey: WS, taskRunKey, outputKey: "attempt-1" },
      { deadline: Deadline.in(30_000) },
    );
    expect(only).toMatchObject({ status: "already-exported", outputKey: "attempt-1" });
    expect(only.earlierAttempts).toBeUndefined();
  });

  it("discovery does not count a task run archived while an earlier attempt's output is missing", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "retried-discovered",
      timeCreated: Date.now() - 60_000,
      tasks: [
        { name: "d", outputKey: "now", output: text("ok"), earlierAttempts: [{ outputKey: "before", output: text("failed run's log") }] },
      ],
    });
    const taskRunKey = j.taskRunKeys[0]!;
    const config = loadConfig({
      AIDP_WATCH_PLATFORM_IDS: PLATFORM,
      AIDP_WATCH_EXPORT_WORKSPACES: WS,
      AIDP_WATCH_STATE_BUCKET: STATE_BUCKET,
      AIDP_WATCH_OUTPUT_BUCKET: OUT_BUCKET,
    });
    // Only the current attempt archived (as by a cut-short export or an older aidp-watch).
    await exportTaskRun(
      { aidp: h.client, store: h.outStore },
      { prefix: "outputs", limits: {} },
      { platformId: PLATFORM, workspaceKey: WS, taskRunKey, outputKey: "now" },
      { deadline: Deadline.in(30_000) },
    );
    const report = await runExportDiscovery({ aidp: h.client, outputStore: h.outStore, stateStore: h.stateStore }, config, {
      workDeadline: Deadline.in(60_000),
      logger: createLogger({ level: "warn", sink: new MemorySink() }),
      clock: { now: () => Date.now() } as never,
    });
    expect(report.workspaces[0]!.failures).toEqual([]);
    expect(body(`${folderOf(taskRunKey, "before")}v1/000-text_plain.txt`)).toBe("failed run's log");
  });
});
