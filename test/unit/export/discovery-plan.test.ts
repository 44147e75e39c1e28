import { describe, expect, it } from "vitest";
import {
  advanceState,
  DISCOVERY_MARGIN_MS,
  discoveryTargets,
  listSinceMs,
  planJobRuns,
  planTaskRuns,
} from "../../../shared/export/discovery-plan.js";
import type { DiscoveryState } from "../../../shared/export/discovery-state.js";
import { runPhase } from "../../../shared/export/run-status.js";

const H = 3600_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const jr = (key: string, t: number, status: string | undefined) => ({ key, timeCreatedMs: t, status });
const state = (watermarkMs: number, done: Array<[string, number]> = []): DiscoveryState => ({
  schemaVersion: 1,
  watermarkMs,
  done: done.map(([key, timeCreatedMs]) => ({ key, timeCreatedMs })),
  updatedAt: "x",
});

describe("run status", () => {
  it("splits terminal, running and unknown statuses", () => {
    expect(runPhase("SUCCESS")).toBe("finished");
    expect(runPhase("UPSTREAM_FAILED")).toBe("finished");
    expect(runPhase("TIMED_OUT")).toBe("finished");
    expect(runPhase("CANCELING")).toBe("running");
    expect(runPhase("PAUSED_MAINTENANCE")).toBe("running");
    expect(runPhase("SOMETHING_NEW")).toBe("unknown");
    expect(runPhase(undefined)).toBe("unknown");
  });
});

describe("discovery planning", () => {
  it("starts from the lookback on the first run, then from watermark - margin", () => {
    expect(listSinceMs(undefined, NOW, 24)).toBe(NOW - 24 * H);
    expect(listSinceMs(state(NOW - H), NOW, 24)).toBe(NOW - H - DISCOVERY_MARGIN_MS);
  });

  it("exports finished job runs oldest first, skips done ones, reports unknown statuses", () => {
    const plan = planJobRuns(
      [
        jr("c", 3, "SUCCESS"),
        jr("a", 1, "FAILED"),
        jr("b", 2, "RUNNING"),
        jr("d", 4, "NEW_STATUS"),
        jr("e", 5, "SUCCESS"),
        jr("a", 1, "FAILED"),
      ],
      state(0, [["e", 5]]),
    );
    expect(plan.toExport.map((j) => j.key)).toEqual(["a", "c"]);
    expect(plan.running.map((j) => j.key)).toEqual(["b"]);
    expect(plan.unknownStatus.map((j) => j.key)).toEqual(["d"]);
    expect(plan.alreadyDone.map((j) => j.key)).toEqual(["e"]);
  });

  it("exports finished task runs, skips never-ran ones, and flags unfinished ones", () => {
    const plan = planTaskRuns([
      { key: "t1", status: "SUCCESS" },
      { key: "t2", status: "SKIPPED" },
      { key: "t3", status: "RUNNING" },
      { key: "t4", status: "FAILED" },
      { key: "t5", status: undefined },
    ]);
    expect(plan.toExport.map((t) => t.key)).toEqual(["t1", "t4"]);
    expect(plan.neverRan.map((t) => t.key)).toEqual(["t2"]);
    expect(plan.notFinished.map((t) => t.key)).toEqual(["t3", "t5"]);
  });

  it("never moves the watermark past a job run that is not done", () => {
    const listed = [jr("a", 100, "SUCCESS"), jr("b", 200, "RUNNING"), jr("c", 300, "SUCCESS")];
    const next = advanceState({ previous: undefined, sinceMs: 50, listed, doneNow: new Set(["a", "c"]), nowMs: NOW, marginMs: 1000 });
    expect(next.watermarkMs).toBe(200);
    expect(next.done.map((d) => d.key)).toEqual(["a", "c"]);
  });

  it("moves to the newest listed job run when everything is done, and prunes 'done' below watermark - margin", () => {
    const listed = [jr("a", 100, "SUCCESS"), jr("c", 5000, "SUCCESS")];
    const next = advanceState({
      previous: state(50, [["old", 10]]),
      sinceMs: 0,
      listed,
      doneNow: new Set(["a", "c"]),
      nowMs: NOW,
      marginMs: 1000,
    });
    expect(next.watermarkMs).toBe(5000);
    expect(next.done.map((d) => d.key)).toEqual(["c"]);
  });

  it("keeps the previous watermark when nothing was listed, and never uses its own clock", () => {
    const next = advanceState({ previous: state(777), sinceMs: 0, listed: [], doneNow: new Set(), nowMs: NOW });
    expect(next.watermarkMs).toBe(777);
    const first = advanceState({ previous: undefined, sinceMs: 123, listed: [], doneNow: new Set(), nowMs: NOW });
    expect(first.watermarkMs).toBe(123);
  });

  it("a failed export holds the watermark so the job run is retried", () => {
    const listed = [jr("a", 100, "SUCCESS"), jr("b", 200, "SUCCESS")];
    const next = advanceState({ previous: undefined, sinceMs: 0, listed, doneNow: new Set(["b"]), nowMs: NOW, marginMs: 10 });
    expect(next.watermarkMs).toBe(100);
    const plan = planJobRuns(listed, next);
    expect(plan.toExport.map((j) => j.key)).toEqual(["a"]);
  });

  it("expands workspace targets per platform and dedupes", () => {
    expect(discoveryTargets(["ws1", "ocid1.x.oc1..p2/ws2", "ws1"], ["ocid1.x.oc1..p1", "ocid1.x.oc1..p2"])).toEqual([
      { platformId: "ocid1.x.oc1..p1", workspaceKey: "ws1" },
      { platformId: "ocid1.x.oc1..p2", workspaceKey: "ws1" },
      { platformId: "ocid1.x.oc1..p2", workspaceKey: "ws2" },
    ]);
  });
});
