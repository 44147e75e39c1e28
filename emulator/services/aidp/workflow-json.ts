/**
 * JSON shapes of the Workflow API (docs/aidp-api.md, Oracle's generated SDK
 * models): TaskRun/JobRun `startTime`/`endTime`/durations are epoch ms;
 * JobRun `timeCreated`/`timeUpdated` are RFC 3339.
 */
import { compact, rfc3339 } from "./async-operation-json.js";
import { availableOutput, jobRunStatusAt, type StoredJobRun, type StoredTaskRun, taskRunStatusAt } from "./job-run-model.js";
import type { TaskRunOutputSeed } from "./seeds.js";

function state(status: string, errorTrace: string | undefined): Record<string, unknown> {
  const failed = status === "FAILED" || status === "INTERNAL_ERROR" || status === "TIMED_OUT";
  return compact({
    status,
    stateMessage: failed ? `Task run ${status.toLowerCase().replaceAll("_", " ")}` : undefined,
    errorTrace: failed ? errorTrace : undefined,
    isUserCanceledOrTimedOut: status === "CANCELED" || status === "TIMED_OUT" ? true : undefined,
  });
}

function started(t: StoredTaskRun, now: number): boolean {
  return t.startAt !== undefined && now >= t.startAt;
}

export function taskRunSummaryJson(t: StoredTaskRun, now: number): Record<string, unknown> {
  const status = taskRunStatusAt(t, now);
  const done = status !== "PENDING" && status !== "RUNNING";
  return compact({
    key: t.key,
    name: t.name,
    taskKey: t.taskKey,
    jobRunKey: t.jobRunKey,
    rootJobRunKey: t.jobRunKey,
    startTime: started(t, now) ? t.startAt : undefined,
    endTime: done && started(t, now) ? t.endAt : undefined,
    state: state(status, t.output?.errorTrace),
    retryAttempt: 0,
  });
}

export function taskRunJson(t: StoredTaskRun, now: number): Record<string, unknown> {
  const summary = taskRunSummaryJson(t, now);
  const out = availableOutput(t, now);
  const ran = summary.endTime !== undefined && t.startAt !== undefined;
  return compact({
    ...summary,
    jobKey: t.jobKey,
    setupDuration: ran ? 0 : undefined,
    executionDuration: ran && t.startAt !== undefined ? t.endAt - t.startAt : undefined,
    cleanupDuration: ran ? 0 : undefined,
    version: 1,
    outputKey: out?.key,
    retryAttempt: (t.earlierAttempts ?? []).length,
    retries:
      (t.earlierAttempts ?? []).length > 0
        ? (t.earlierAttempts ?? []).map((a, i) => ({
            key: t.key,
            name: t.name,
            retryAttempt: i,
            outputKey: a.outputKey,
            state: { status: a.finalStatus },
          }))
        : undefined,
    systemParameters: { taskType: t.taskType },
  });
}

export function jobRunSummaryJson(j: StoredJobRun, tasks: readonly StoredTaskRun[], now: number): Record<string, unknown> {
  const status = jobRunStatusAt(j, now);
  const done = status !== "RUNNING";
  // Last change: the end, or else the latest task start so far.
  const starts = tasks.map((t) => t.startAt).filter((s): s is number => s !== undefined && s <= now);
  const updated = done ? j.endAt : Math.max(j.timeCreated, ...starts);
  return compact({
    key: j.key,
    name: j.name,
    jobKey: j.jobKey,
    rootJobRunKey: j.key,
    createdBy: j.createdBy,
    launched: "MANUAL",
    state: state(status, tasks.find((t) => t.output?.errorTrace)?.output?.errorTrace),
    startTime: j.timeCreated,
    endTime: done ? j.endAt : undefined,
    executionDuration: done ? j.endAt - j.timeCreated : undefined,
    timeCreated: rfc3339(j.timeCreated),
    timeUpdated: rfc3339(updated),
  });
}

export function jobRunJson(j: StoredJobRun, tasks: readonly StoredTaskRun[], now: number): Record<string, unknown> {
  return {
    ...jobRunSummaryJson(j, tasks, now),
    version: 1,
    taskToTaskRunMap: j.taskToTaskRunMap,
    taskRunSummaryMap: Object.fromEntries(tasks.map((t) => [t.name, taskRunSummaryJson(t, now)])),
  };
}

export function taskRunOutputJson(key: string, t: StoredTaskRun, output: TaskRunOutputSeed): Record<string, unknown> {
  return compact({
    key,
    taskType: output.taskType ?? t.taskType,
    isTruncated: output.isTruncated ?? false,
    errorTrace: output.errorTrace,
    data: output.data,
    outputParameters: output.outputParameters,
    version: output.version ?? 1,
  });
}
