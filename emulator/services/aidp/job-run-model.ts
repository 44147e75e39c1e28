/**
 * Emulated job runs and their task runs. As with async operations, states
 * are computed from the clock on each read: tasks run one after the other
 * from the job run's `timeCreated` (PENDING → RUNNING → final status), and a
 * task's output becomes fetchable once it has finished.
 */
import { randomUUID } from "node:crypto";
import { RUNNING_RUN_STATUSES } from "../../../shared/aidp/aidp-enums.js";
import { EMULATOR_USER } from "../../credentials.js";
import type { JobRunSeed, TaskRunOutputSeed } from "./seeds.js";

export interface StoredTaskRun {
  readonly key: string;
  readonly name: string;
  readonly taskKey: string;
  readonly taskType: string;
  readonly jobKey: string;
  readonly jobRunKey: string;
  readonly workspaceKey: string;
  /** Creation time (= the job run's), used for sorting. */
  readonly timeCreated: number;
  /** Undefined when the task never starts (upstream failed or canceled). */
  readonly startAt: number | undefined;
  readonly endAt: number;
  readonly finalStatus: string;
  readonly outputKey: string | null;
  readonly output: TaskRunOutputSeed | undefined;
  /** When fetchOutput starts to find the output (the seed's `outputDelayMs` after `endAt`). */
  readonly outputReadyAt: number;
  /** Earlier attempts (`TaskRun.retries[]`), oldest first. */
  readonly earlierAttempts: ReadonlyArray<{ readonly outputKey: string; readonly output: TaskRunOutputSeed; readonly finalStatus: string }>;
}

export interface StoredJobRun {
  readonly key: string;
  readonly name: string;
  readonly jobKey: string;
  readonly workspaceKey: string;
  readonly createdBy: string;
  readonly timeCreated: number;
  readonly endAt: number;
  readonly finalStatus: string;
  /** Task name → task-run key, in task order. */
  readonly taskToTaskRunMap: Readonly<Record<string, string>>;
  readonly taskRunKeys: readonly string[];
}

/** Task states after which nothing more happens: the same inference as the client's (shared/aidp/aidp-enums.ts). */
const NON_TERMINAL = new Set<string>(RUNNING_RUN_STATUSES);
const FAILED_LIKE = new Set(["FAILED", "TIMED_OUT", "INTERNAL_ERROR", "UPSTREAM_FAILED"]);
const CANCELED_LIKE = new Set(["CANCELED", "UPSTREAM_CANCELED"]);

function isTerminalRunStatus(status: string): boolean {
  return !NON_TERMINAL.has(status);
}

export function buildJobRun(seed: JobRunSeed, workspaceKey: string, now: number): { jobRun: StoredJobRun; taskRuns: StoredTaskRun[] } {
  const jobRunKey = seed.key ?? randomUUID();
  const timeCreated = seed.timeCreated ?? now;
  const n = seed.tasks.length;
  const defaultDuration = seed.durationMs !== undefined && n > 0 ? Math.floor(seed.durationMs / n) : 0;
  const taskRuns: StoredTaskRun[] = [];
  let cursor = timeCreated;
  let upstream: "failed" | "canceled" | undefined;
  for (const [i, t] of seed.tasks.entries()) {
    const key = t.key ?? randomUUID();
    const blockedBy = t.finalStatus === undefined ? upstream : undefined;
    const duration = blockedBy ? 0 : (t.durationMs ?? defaultDuration);
    const finalStatus =
      blockedBy === "failed" ? "UPSTREAM_FAILED" : blockedBy === "canceled" ? "UPSTREAM_CANCELED" : (t.finalStatus ?? "SUCCESS");
    const hasOutput = t.outputKey !== null && (t.output !== undefined || t.outputKey !== undefined);
    taskRuns.push({
      key,
      name: t.name,
      taskKey: `task-${i + 1}-${t.name}`,
      taskType: t.taskType ?? "NOTEBOOK_TASK",
      jobKey: seed.jobKey,
      jobRunKey,
      workspaceKey,
      timeCreated,
      startAt: blockedBy ? undefined : cursor,
      endAt: cursor + duration,
      finalStatus,
      outputKey: hasOutput ? (t.outputKey ?? `output-${key}`) : null,
      output: hasOutput ? (t.output ?? { data: [] }) : undefined,
      outputReadyAt: cursor + duration + (t.outputDelayMs ?? 0),
      earlierAttempts: (t.earlierAttempts ?? []).map((a) => ({
        outputKey: a.outputKey,
        output: a.output,
        finalStatus: a.finalStatus ?? "FAILED",
      })),
    });
    cursor += duration;
    if (!upstream && FAILED_LIKE.has(finalStatus)) upstream = "failed";
    else if (!upstream && CANCELED_LIKE.has(finalStatus)) upstream = "canceled";
  }
  const endAt = Math.max(cursor, timeCreated + (seed.durationMs ?? 0));
  const worst = taskRuns.find((t) => FAILED_LIKE.has(t.finalStatus)) ?? taskRuns.find((t) => CANCELED_LIKE.has(t.finalStatus));
  const derived = worst ? (FAILED_LIKE.has(worst.finalStatus) ? "FAILED" : "CANCELED") : "SUCCESS";
  const jobRun: StoredJobRun = {
    key: jobRunKey,
    name: seed.name ?? `${seed.jobKey} run`,
    jobKey: seed.jobKey,
    workspaceKey,
    createdBy: seed.createdBy ?? EMULATOR_USER,
    timeCreated,
    endAt,
    finalStatus: seed.finalStatus ?? derived,
    taskToTaskRunMap: Object.fromEntries(taskRuns.map((t) => [t.name, t.key])),
    taskRunKeys: taskRuns.map((t) => t.key),
  };
  return { jobRun, taskRuns };
}

export function taskRunStatusAt(t: StoredTaskRun, now: number): string {
  if (t.startAt === undefined) return now >= t.endAt ? t.finalStatus : "PENDING";
  if (now < t.startAt) return "PENDING";
  if (now < t.endAt) return "RUNNING";
  return t.finalStatus;
}

export function jobRunStatusAt(j: StoredJobRun, now: number): string {
  return now < j.endAt ? "RUNNING" : j.finalStatus;
}

/** An earlier attempt's output by its key, once the task run has finished. */
export function earlierAttemptOutput(
  t: StoredTaskRun,
  outputKey: string,
  now: number,
): { key: string; output: TaskRunOutputSeed } | undefined {
  if (!isTerminalRunStatus(taskRunStatusAt(t, now))) return undefined;
  const a = (t.earlierAttempts ?? []).find((x) => x.outputKey === outputKey);
  return a ? { key: a.outputKey, output: a.output } : undefined;
}

/** The task run's output, once the task run has finished and if it has one. */
export function availableOutput(t: StoredTaskRun, now: number): { key: string; output: TaskRunOutputSeed } | undefined {
  if (t.outputKey === null || t.output === undefined) return undefined;
  if (!isTerminalRunStatus(taskRunStatusAt(t, now)) || now < t.outputReadyAt) return undefined;
  return { key: t.outputKey, output: t.output };
}
