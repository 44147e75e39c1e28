import { describe, expect, it } from "vitest";
import { Deadline } from "../../../shared/time/deadline.js";
import type { PlatformSweepSummary, SweepSummary } from "../../../shared/watch/sweep.js";
import { activePlatforms, combineSweeps, nextSpacingMs, runSweepLoop, type SweepLoopResult } from "../../../shared/watch/sweep-loop.js";
import { FakeClock } from "../../support/fake-clock.js";

const P1 = "ocid1.aidataplatform.oc1.iad.p1";
const P2 = "ocid1.aidataplatform.oc1.iad.p2";

function platform(platformId: string, o: Partial<PlatformSweepSummary> = {}): PlatformSweepSummary {
  return {
    platformId,
    discovered: 0,
    tracked: 0,
    changed: 0,
    fetched: 0,
    announced: 0,
    published: 0,
    digests: 0,
    pending: 0,
    failed: 0,
    complete: true,
    ...o,
  };
}

function summary(platforms: PlatformSweepSummary[], o: Partial<SweepSummary> = {}): SweepSummary {
  const sum = (k: "discovered" | "tracked" | "changed" | "published" | "failed") => platforms.reduce((n, p) => n + p[k], 0);
  return {
    discovered: sum("discovered"),
    tracked: sum("tracked"),
    changed: sum("changed"),
    published: sum("published"),
    failed: sum("failed"),
    durationMs: 0,
    complete: platforms.every((p) => p.complete),
    platforms,
    ...o,
  };
}

/**
 * A scripted sweep: the n-th call takes `takesMs` of fake time and returns the
 * n-th summary (the last one repeats). Records the fake time of each start.
 */
function scripted(clock: FakeClock, script: Array<{ summary: SweepSummary; takesMs?: number }>) {
  const starts: number[] = [];
  const sweep = async () => {
    const step = script[Math.min(starts.length, script.length - 1)]!;
    starts.push(clock.now());
    if (step.takesMs) await clock.sleep(step.takesMs);
    return step.summary;
  };
  return { sweep, starts };
}

/** Runs the loop, moving fake time to each sleep as it is taken, until the loop ends. */
const drive = (clock: FakeClock, loop: Promise<SweepLoopResult>) => clock.runUntilSettled(loop);

const running = summary([platform(P1, { tracked: 2 })]);
const idle = summary([platform(P1, { tracked: 0 })]);

describe("runSweepLoop", () => {
  it("idle: returns after one sweep when nothing is in progress", async () => {
    const clock = new FakeClock();
    const { sweep, starts } = scripted(clock, [{ summary: idle }]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 10_000 }));
    expect(r).toMatchObject({ sweeps: 1, exit: "idle" });
    expect(starts).toHaveLength(1);
  });

  it("sweeps every interval, start to start, while something is in progress, and stops once it is idle", async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { sweep, starts } = scripted(clock, [
      { summary: running, takesMs: 3000 },
      { summary: running, takesMs: 500 },
      { summary: running, takesMs: 9000 },
      { summary: idle, takesMs: 200 },
    ]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 10_000 }));
    expect(r).toMatchObject({ sweeps: 4, exit: "idle" });
    expect(starts.map((s) => s - t0)).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it("pending announcements keep it going like operations in progress", async () => {
    const clock = new FakeClock();
    const { sweep } = scripted(clock, [
      { summary: summary([platform(P1, { pending: 1, failed: 1, complete: false })]) },
      { summary: idle },
    ]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 10_000 }));
    expect(r).toMatchObject({ sweeps: 2, exit: "idle" });
  });

  it("deadline: starts no sweep that could not finish before the work deadline", async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { sweep, starts } = scripted(clock, [{ summary: running, takesMs: 4000 }]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(55_000, clock), intervalMs: 10_000 }));
    expect(r.exit).toBe("deadline");
    // A sweep at 50 s would need until 54 s (< 55 s): it runs; one at 60 s would not.
    expect(starts.map((s) => s - t0)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(clock.now() - t0).toBeLessThanOrEqual(55_000);
  });

  it("deadline: the longest sweep so far decides whether one more fits", async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { sweep, starts } = scripted(clock, [
      { summary: running, takesMs: 1000 },
      { summary: running, takesMs: 8000 },
    ]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(25_000, clock), intervalMs: 10_000 }));
    // After an 8 s sweep, one starting at 20 s could run past 25 s.
    expect(r.exit).toBe("deadline");
    expect(starts.map((s) => s - t0)).toEqual([0, 10_000]);
  });

  it("once: interval 0 makes one sweep even with operations in progress", async () => {
    const clock = new FakeClock();
    const { sweep } = scripted(clock, [{ summary: running }]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 0 }));
    expect(r).toMatchObject({ sweeps: 1, exit: "once" });
  });

  it("a platform whose sweep fails mid-loop keeps the loop going, spaced out, until it recovers", async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const down = summary([platform(P1, { failed: 1, complete: false, error: "AidpError: 503 ServiceUnavailable" })]);
    const { sweep, starts } = scripted(clock, [
      { summary: running },
      { summary: down },
      { summary: down },
      { summary: running },
      { summary: idle },
    ]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 10_000 }));
    expect(r).toMatchObject({ sweeps: 5, exit: "idle" });
    // 10 s, then 20 s and 40 s after failing sweeps, back to 10 s once it recovered.
    expect(starts.map((s) => s - t0)).toEqual([0, 10_000, 30_000, 70_000, 80_000]);
  });

  it("a platform failing at the first sweep tells nothing: with nothing else in progress the invocation ends", async () => {
    const clock = new FakeClock();
    const down = summary([platform(P1, { failed: 1, complete: false, error: "ObjectStoreError: 500" })]);
    const { sweep } = scripted(clock, [{ summary: down }]);
    const r = await drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 10_000 }));
    expect(r).toMatchObject({ sweeps: 1, exit: "idle" });
  });

  it("a sweep that throws ends the loop with its error (a crash, not a service failure)", async () => {
    const clock = new FakeClock();
    let n = 0;
    const sweep = async () => {
      if (n++ === 1) throw new Error("crash");
      return running;
    };
    await expect(drive(clock, runSweepLoop({ sweep, clock, deadline: Deadline.in(300_000, clock), intervalMs: 10_000 }))).rejects.toThrow(
      "crash",
    );
    expect(n).toBe(2);
  });

  it("awaits onSweep before going on", async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { sweep, starts } = scripted(clock, [{ summary: running }, { summary: idle }]);
    const seen: number[] = [];
    const r = await drive(
      clock,
      runSweepLoop({
        sweep,
        clock,
        deadline: Deadline.in(300_000, clock),
        intervalMs: 10_000,
        onSweep: async (_s, i) => {
          seen.push(i);
          if (i === 0) await clock.sleep(15_000); // longer than the interval: the next sweep starts at once
        },
      }),
    );
    expect(r.sweeps).toBe(2);
    expect(seen).toEqual([0, 1]);
    expect(starts.map((s) => s - t0)).toEqual([0, 15_000]);
  });
});

describe("activePlatforms / nextSpacingMs / combineSweeps", () => {
  it("counts a platform active when it tracks operations or has announcements pending; an errored one keeps its previous state", () => {
    const s = summary([platform(P1, { tracked: 1 }), platform(P2, { error: "x", failed: 1, complete: false })]);
    expect([...activePlatforms(s, new Set())]).toEqual([P1]);
    expect([...activePlatforms(s, new Set([P2]))]).toEqual([P1, P2]);
    expect([...activePlatforms(summary([platform(P1, { pending: 1 })]), new Set())]).toEqual([P1]);
  });

  it("doubles the spacing per consecutive failing sweep, capped, never below the interval", () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => nextSpacingMs(10_000, n, 60_000))).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    expect(nextSpacingMs(90_000, 2, 60_000)).toBe(90_000);
  });

  it("sums what adds up and keeps the last sweep's state", () => {
    const a = summary([platform(P1, { discovered: 2, tracked: 2, changed: 1, published: 1 })]);
    const b = summary([platform(P1, { tracked: 0, changed: 1, published: 1, failed: 1, complete: false })]);
    const c = combineSweeps({ sweeps: 2, exit: "idle", summaries: [a, b] }, 12_345);
    expect(c).toMatchObject({
      sweeps: 2,
      loopExit: "idle",
      discovered: 2,
      tracked: 0,
      changed: 2,
      published: 2,
      failed: 1,
      complete: false,
      durationMs: 12_345,
    });
    expect(c.platforms).toBe(b.platforms);
  });
});
