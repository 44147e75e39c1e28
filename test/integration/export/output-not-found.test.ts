import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../shared/config/load-config.js";
import { parseDiscoveryState } from "../../../shared/export/discovery-state.js";
import { runExportDiscovery } from "../../../shared/export/discovery.js";
import { UnknownOutputKeyError } from "../../../shared/export/export-errors.js";
import { exportTaskRun } from "../../../shared/export/export-task-run.js";
import { createLogger } from "../../../shared/log/logger.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";
import { MemorySink } from "../../support/memory-log-sink.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, STATE_BUCKET, startExportHarness, WS } from "./export-harness.js";

const MIN = 60_000;
const text = (value: string) => ({ data: [{ type: "TEXT_PLAIN", value }] as never });

/**
 * fetchOutput's 404 against the emulator, whose task runs can store their
 * output some time after they end (`outputDelayMs`): inside the grace window
 * the job run is held and asked again; past it "no output" is recorded with
 * the 404's request id; a wrong key is an error naming it.
 */
describe("a 404 from fetchOutput is not read blindly as 'no output'", () => {
  const clock = new FakeClock();
  let h: ExportHarness;
  const config = loadConfig({
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_EXPORT_WORKSPACES: WS,
    AIDP_WATCH_STATE_BUCKET: STATE_BUCKET,
    AIDP_WATCH_OUTPUT_BUCKET: OUT_BUCKET,
    AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES: "60",
  });
  const sweep = async () =>
    (
      await runExportDiscovery({ aidp: h.client, outputStore: h.outStore, stateStore: h.stateStore }, config, {
        workDeadline: Deadline.in(60_000),
        logger: createLogger({ level: "warn", sink: new MemorySink() }),
        clock,
      })
    ).workspaces[0]!;
  const manifestsOf = (taskRunKey: string) =>
    h.os.listObjectNames(OUT_BUCKET).filter((n) => n.includes(`/${taskRunKey}/`) && n.endsWith("/manifest.json"));
  const state = () => parseDiscoveryState(h.os.getObject(STATE_BUCKET, `aidp-watch/exports/${PLATFORM}/${WS}/watermark.json`)!.body)!;

  beforeAll(async () => {
    h = await startExportHarness({ clock });
  });
  afterAll(async () => {
    await h.close();
  });

  it("inside the window: the job run stays pending, is asked again next sweep, and its output is archived once it appears", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "slow-output",
      timeCreated: clock.now() - 5 * MIN,
      tasks: [{ name: "s", output: text("late"), outputDelayMs: 20 * MIN }],
    });
    const first = await sweep();
    expect(first).toMatchObject({ taskRunsExported: 0, taskRunsWithoutOutput: 0, taskRunsAwaitingOutput: 1, jobRunsDone: 0, failures: [] });
    expect(manifestsOf(j.taskRunKeys[0]!)).toEqual([]);
    expect(state().done.map((d) => d.key)).not.toContain(j.key);
    expect(state().watermarkMs).toBe(clock.now() - 5 * MIN); // held at this job run
    expect(state().awaitingOutput).toEqual([
      expect.objectContaining({
        jobRunKey: j.key,
        taskRunKey: j.taskRunKeys[0],
        opcRequestId: expect.stringMatching(/.+/),
        retryUntil: new Date(clock.now() + 55 * MIN).toISOString(),
      }),
    ]);
    expect(state().noOutput ?? []).toEqual([]);

    await clock.advance(20 * MIN);
    const second = await sweep();
    expect(second).toMatchObject({ taskRunsExported: 1, taskRunsAwaitingOutput: 0, failures: [] });
    expect(manifestsOf(j.taskRunKeys[0]!)).toHaveLength(1);
    expect(state().done.map((d) => d.key)).toContain(j.key);
    expect(state().awaitingOutput).toBeUndefined();
  });

  it("past the window: recorded as 'no output' in the discovery state with the 404's opc-request-id, and the job run is done", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "never-output",
      timeCreated: clock.now() - 5 * MIN,
      tasks: [{ name: "n", outputKey: null }],
    });
    expect(await sweep()).toMatchObject({ taskRunsAwaitingOutput: 1, taskRunsWithoutOutput: 0 });
    expect(state().done.map((d) => d.key)).not.toContain(j.key);

    await clock.advance(30 * MIN);
    expect(await sweep()).toMatchObject({ taskRunsAwaitingOutput: 1, taskRunsWithoutOutput: 0 }); // 35 min after its end: still inside

    await clock.advance(26 * MIN); // 61 min after its end
    h.emu.stats.reset();
    const past = await sweep();
    expect(past).toMatchObject({ taskRunsAwaitingOutput: 0, taskRunsWithoutOutput: 1, failures: [] });
    expect(h.emu.stats.count("aidp.fetchOutput")).toBe(1);
    expect(state().done.map((d) => d.key)).toContain(j.key);
    const record = state().noOutput?.find((r) => r.taskRunKey === j.taskRunKeys[0]);
    expect(record).toMatchObject({
      jobRunKey: j.key,
      outputKey: null,
      opcRequestId: expect.stringMatching(/.+/),
      reason: expect.stringContaining("past the 60 min grace window"),
    });
    expect(manifestsOf(j.taskRunKeys[0]!)).toEqual([]);

    // Done means done: the next sweep does not ask again.
    h.emu.stats.reset();
    await sweep();
    expect(h.emu.stats.count("aidp.fetchOutput")).toBe(0);
  });

  it("a direct export reports the decision and the 404's request id (grace 0: a 404 after the end is final)", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, { jobKey: "direct", timeCreated: clock.now() - MIN, tasks: [{ name: "d", outputKey: null }] });
    const ids = { platformId: PLATFORM, workspaceKey: WS, taskRunKey: j.taskRunKeys[0]! };
    const pending = await exportTaskRun({ aidp: h.client, store: h.outStore, clock }, { prefix: "outputs", limits: {} }, ids, {
      deadline: Deadline.in(30_000),
    });
    expect(pending).toMatchObject({
      status: "output-pending",
      writes: 0,
      notFound: { opcRequestId: expect.stringMatching(/.+/), retryUntil: new Date(clock.now() + 59 * MIN).toISOString() },
    });
    const final = await exportTaskRun(
      { aidp: h.client, store: h.outStore, clock },
      { prefix: "outputs", limits: {}, outputNotFoundGraceMs: 0 },
      ids,
      { deadline: Deadline.in(30_000) },
    );
    expect(final).toMatchObject({
      status: "no-output",
      writes: 0,
      notFound: { opcRequestId: expect.stringMatching(/.+/), reason: expect.stringContaining("past the 0 min grace window") },
    });
  });

  it("a wrong output key is a typed error naming the key, not 'no output'", async () => {
    const j = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "keyed",
      timeCreated: clock.now() - MIN,
      tasks: [{ name: "k", outputKey: "the-real-key", output: text("x") }],
    });
    const ids = { platformId: PLATFORM, workspaceKey: WS, taskRunKey: j.taskRunKeys[0]!, outputKey: "no-such-key" };
    const err = await exportTaskRun({ aidp: h.client, store: h.outStore, clock }, { prefix: "outputs", limits: {} }, ids, {
      deadline: Deadline.in(30_000),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownOutputKeyError);
    expect(err).toMatchObject({
      outputKey: "no-such-key",
      context: { taskRunOutputKey: "the-real-key", opcRequestId: expect.stringMatching(/.+/) },
    });
    expect((err as Error).message).toContain('"no-such-key"');
    expect((err as Error).message).toContain('"the-real-key"');
    expect(manifestsOf(j.taskRunKeys[0]!)).toEqual([]);
  });
});
