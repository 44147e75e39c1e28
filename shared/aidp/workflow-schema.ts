/**
 * Workflow resources (API 20260430; docs/aidp-api.md, "Task runs and job runs"): task runs, job runs and
 * exported outputs. TaskRun/JobRun `startTime`/`endTime`/durations are epoch
 * milliseconds; JobRun `timeCreated`/`timeUpdated` are RFC 3339 strings (epoch
 * numbers are accepted too, as the SDK models them as dates). Unknown fields
 * are kept. `fetchOutput`'s `TaskRunOutput` lives in `shared/decode`.
 */
import * as z from "../schema/zod.js";
import { ExportFormatSchema, JobRunLaunchTypeSchema, RunStatusSchema } from "./aidp-enums.js";
import { opt, optBoolean, optInt, optNumber, optString } from "../schema/nullish.js";

export const StateSchema = z.looseObject({
  status: opt(RunStatusSchema),
  stateMessage: optString,
  errorTrace: optString,
  isUserCanceledOrTimedOut: optBoolean,
});

const epochMs = optNumber;
const timestamp = opt(z.union([z.string(), z.number()]));

const taskRunSummaryFields = {
  key: z.string().check(z.minLength(1)),
  name: optString,
  taskKey: optString,
  jobRunKey: optString,
  parentJobRunKey: optString,
  rootJobRunKey: optString,
  clusterValidationStartTime: epochMs,
  startTime: epochMs,
  endTime: epochMs,
  state: opt(StateSchema),
  externalId: optString,
  retryAttempt: optInt,
};

export const TaskRunSummarySchema = z.looseObject(taskRunSummaryFields);
export type TaskRunSummary = z.output<typeof TaskRunSummarySchema>;

export const TaskRunSchema = z.looseObject({
  ...taskRunSummaryFields,
  jobKey: optString,
  setupDuration: epochMs,
  executionDuration: epochMs,
  cleanupDuration: epochMs,
  version: optInt,
  /** Key to pass to `fetchOutput` / `exportTaskRunOutput`. */
  outputKey: optString,
  systemParameters: opt(z.record(z.string(), z.unknown())),
  /**
   * Earlier attempts of this task run (AIDP retried it), each with its own
   * `outputKey`. Kept as any JSON value (its element shape is not pinned
   * down here); read with `earlierAttempts`.
   */
  retries: opt(z.array(z.unknown())),
});
export type TaskRun = z.output<typeof TaskRunSchema>;

const AttemptSchema = z.looseObject({ outputKey: optString, retryAttempt: optInt, state: opt(StateSchema) });

export interface EarlierAttempt {
  readonly outputKey: string;
  /** `retryAttempt` as AIDP numbers it (0 = the original run), when it says. */
  readonly retryAttempt: number | undefined;
  /** That attempt's own `state.status`. */
  readonly status: string | undefined;
}

/**
 * The output keys of the task run's earlier attempts (`retries[]`), oldest
 * first, without duplicates and without the current attempt's own key.
 * An element without a readable `outputKey` is skipped (it has nothing to fetch).
 */
export function earlierAttempts(taskRun: TaskRun): EarlierAttempt[] {
  const out: EarlierAttempt[] = [];
  for (const r of taskRun.retries ?? []) {
    const a = AttemptSchema.safeParse(r);
    if (!a.success) continue;
    const key = a.data.outputKey;
    if (key === undefined || key === taskRun.outputKey || out.some((x) => x.outputKey === key)) continue;
    out.push({ outputKey: key, retryAttempt: a.data.retryAttempt, status: a.data.state?.status });
  }
  return out;
}

export function earlierAttemptOutputKeys(taskRun: TaskRun): string[] {
  return earlierAttempts(taskRun).map((a) => a.outputKey);
}

export const TaskRunCollectionSchema = z.object({ items: z.array(TaskRunSummarySchema) });

const jobRunSummaryFields = {
  key: z.string().check(z.minLength(1)),
  name: optString,
  jobKey: optString,
  jobName: optString,
  parentJobRunKey: optString,
  rootJobRunKey: optString,
  parentTaskRunKey: optString,
  createdBy: optString,
  createdByName: optString,
  launched: opt(JobRunLaunchTypeSchema),
  state: opt(StateSchema),
  startTime: epochMs,
  endTime: epochMs,
  executionDuration: epochMs,
  timeCreated: timestamp,
  timeUpdated: timestamp,
};

export const JobRunSummarySchema = z.looseObject(jobRunSummaryFields);
export type JobRunSummary = z.output<typeof JobRunSummarySchema>;

export const JobRunSchema = z.looseObject({
  ...jobRunSummaryFields,
  version: optInt,
  /** Task name → task-run key. */
  taskToTaskRunMap: opt(z.record(z.string(), z.string())),
  /**
   * Task name → summary. The published SDK models the values as `any`, so a
   * value of another shape must not turn a 200 into a validation error: kept
   * as is; read one with `taskRunSummaryOf` (typed, or undefined).
   */
  taskRunSummaryMap: opt(z.record(z.string(), z.unknown())),
  timeoutSeconds: optNumber,
});
export type JobRun = z.output<typeof JobRunSchema>;

/** A `taskRunSummaryMap` value read as a task-run summary, or undefined when it has another shape. */
export function taskRunSummaryOf(value: unknown): TaskRunSummary | undefined {
  const r = TaskRunSummarySchema.safeParse(value);
  return r.success ? r.data : undefined;
}

export const JobRunCollectionSchema = z.object({ items: z.array(JobRunSummarySchema) });

export const ExportedTaskRunOutputContentsSchema = z.looseObject({
  name: optString,
  path: optString,
  /**
   * An HTML page (images inlined as base64) or `.ipynb` JSON. The SDK models
   * it as `any`: any JSON value (or none) is accepted here; `renderingText`
   * reads it as text only when it is a string.
   */
  content: z.optional(z.unknown()),
  format: opt(ExportFormatSchema),
});
export type ExportedTaskRunOutputContents = z.output<typeof ExportedTaskRunOutputContentsSchema>;

/** The rendering's text, or why there is none (`content` missing, or not a string). */
export function renderingText(contents: ExportedTaskRunOutputContents): { text: string } | { problem: string } {
  const c = contents.content;
  if (typeof c === "string") return { text: c };
  const shape =
    c === undefined
      ? "no content"
      : c === null
        ? "a null content"
        : Array.isArray(c)
          ? "an array as content"
          : typeof c === "object"
            ? "an object as content"
            : `a ${typeof c} as content`;
  return { problem: `AIDP answered ${shape}, not the rendering's text` };
}
