/**
 * Seeds the demo AI Data Platform deterministically: the same anchor time
 * gives the same operation, job-run and task-run keys and the same times, so a
 * restarted stack serves the very operations it served before. It also records
 * what was seeded — what the demo expects to be announced and exported, and
 * when each job run ends (to deliver its export calls).
 */
import { createHash } from "node:crypto";
import { type AidpEmulator, seedDemoPlatform } from "../emulator/services/aidp/index.js";
import { buildJobRun } from "../emulator/services/aidp/job-run-model.js";
import type { JobRunSeed, OperationSeed } from "../emulator/services/aidp/seeds.js";
import { type Clock, systemClock } from "../shared/time/clock.js";

export interface SeededOperation {
  readonly key: string;
  readonly actionType: string;
  readonly resourceName: string;
  readonly timeStarted: number;
  /** When it ends, if it does on its own. */
  readonly endsAt: number | undefined;
  /** The terminal status it ends with (undefined: runs past the demo). */
  readonly finalStatus: string | undefined;
}

export interface SeededTaskRun {
  readonly key: string;
  readonly name: string;
  readonly hasOutput: boolean;
}

export interface SeededJobRun {
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly key: string;
  readonly name: string;
  readonly endsAt: number;
  readonly taskRuns: readonly SeededTaskRun[];
}

export interface SeededScenario {
  readonly platformId: string;
  readonly operations: readonly SeededOperation[];
  readonly jobRuns: readonly SeededJobRun[];
}

/** A UUID-shaped key derived from the scenario anchor: stable across restarts. */
export function stableKey(...parts: Array<string | number>): string {
  const h = createHash("sha256").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Operations whose run ends long after this are the "still running" ones, not expected to finish in the demo. */
const LONG_RUNNING_MS = 30 * 60_000;

export function seedScenario(
  aidp: AidpEmulator,
  options: { platformId: string; startedAtMs: number; speed: number; clock?: Clock },
): SeededScenario {
  const { platformId, startedAtMs, speed } = options;
  const operations: SeededOperation[] = [];
  const jobRuns: SeededJobRun[] = [];
  let opIndex = 0;
  let jobIndex = 0;
  // The seed reads "now" once, as the scenario's start: pin it to the persisted anchor.
  const anchor: Clock = { now: () => startedAtMs, sleep: (ms, signal) => (options.clock ?? systemClock).sleep(ms, signal) };
  const recording: AidpEmulator = {
    ...aidp,
    addOperation(pid: string, seed: OperationSeed) {
      const key = seed.key ?? stableKey(pid, startedAtMs, "op", opIndex++);
      const result = aidp.addOperation(pid, { ...seed, key });
      const started = seed.timeStarted ?? startedAtMs;
      const long = seed.durationMs === undefined || seed.durationMs > LONG_RUNNING_MS / speed;
      operations.push({
        key: result.key,
        actionType: seed.actionType,
        resourceName: seed.resourceName,
        timeStarted: started,
        endsAt: seed.durationMs === undefined ? undefined : started + seed.durationMs,
        finalStatus: long ? undefined : (seed.finalStatus ?? "SUCCEEDED"),
      });
      return result;
    },
    addJobRun(pid: string, workspaceKey: string, seed: JobRunSeed) {
      const j = jobIndex++;
      const keyed: JobRunSeed = {
        ...seed,
        key: seed.key ?? stableKey(pid, startedAtMs, "job", j),
        tasks: seed.tasks.map((t, i) => ({ ...t, key: t.key ?? stableKey(pid, startedAtMs, "job", j, "task", i) })),
      };
      const result = aidp.addJobRun(pid, workspaceKey, keyed);
      const { jobRun, taskRuns } = buildJobRun(keyed, workspaceKey, startedAtMs);
      jobRuns.push({
        platformId: pid,
        workspaceKey,
        key: result.key,
        name: jobRun.name,
        endsAt: jobRun.endAt,
        taskRuns: taskRuns.map((t) => ({ key: t.key, name: t.name, hasOutput: t.outputKey !== null })),
      });
      return result;
    },
  };
  seedDemoPlatform(recording, platformId, anchor, { speed });
  return { platformId, operations, jobRuns };
}
