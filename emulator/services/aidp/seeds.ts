/**
 * What tests and the admin API hand the AIDP emulator to create state. Enums
 * (status, resourceType, actionType, type, charset, compression…) are open
 * strings on purpose: the emulator must be able to serve values our client
 * has never heard of.
 */
import { z } from "zod";

/** One `RunOutputData` part, exactly as the API returns it (unknown fields are kept). */
export const RunOutputDataSchema = z.looseObject({
  type: z.string().min(1),
  /** Size in bytes, as a string (the emulator sets the decoded payload size, before charset decoding). */
  length: z.string().optional(),
  charset: z.string().optional(),
  isBase64: z.boolean().optional(),
  compression: z.string().optional(),
  value: z.string().optional(),
});
export type RunOutputData = z.infer<typeof RunOutputDataSchema>;

export const OperationSeedSchema = z.strictObject({
  key: z.string().min(1).max(200).optional(),
  resourceType: z.string().min(1),
  actionType: z.string().min(1),
  resourceName: z.string().min(1),
  resourceDisplayName: z.string().optional(),
  /** Principal id. @default the emulator's API-key user (`EMULATOR_USER`) */
  createdBy: z.string().optional(),
  createdByName: z.string().optional(),
  /**
   * Epoch ms. @default clock.now(). An operation whose start lies in the
   * future does not exist yet (404, not listed) until the clock reaches it,
   * so a scenario can make operations appear over time.
   */
  timeStarted: z.number().int().optional(),
  /** IN_PROGRESS until `timeStarted + durationMs`; undefined = runs until set. */
  durationMs: z.number().int().nonnegative().optional(),
  /** Status once finished (open enum). @default "SUCCEEDED" */
  finalStatus: z.string().min(1).optional(),
  /** Reported once finished. */
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  statusDetails: z.string().optional(),
});
export type OperationSeed = z.input<typeof OperationSeedSchema>;

export const OperationStatusChangeSchema = z.strictObject({
  status: z.string().min(1),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});

export const OutputParameterSchema = z.looseObject({ name: z.string().min(1), value: z.string().optional() });

export const TaskRunOutputSeedSchema = z.strictObject({
  data: z.array(RunOutputDataSchema),
  isTruncated: z.boolean().optional(),
  errorTrace: z.string().optional(),
  outputParameters: z.array(OutputParameterSchema).optional(),
  /** e.g. NOTEBOOK_TASK (open enum). @default the task's taskType */
  taskType: z.string().optional(),
  /** @default 1 */
  version: z.number().int().optional(),
});
export type TaskRunOutputSeed = z.input<typeof TaskRunOutputSeedSchema>;

export const TaskSeedSchema = z.strictObject({
  key: z.string().min(1).max(255).optional(),
  name: z.string().min(1),
  /** @default "NOTEBOOK_TASK" */
  taskType: z.string().min(1).optional(),
  /**
   * The output's key. `null` = this task run never has an output (fetchOutput
   * 404s). @default a generated key when `output` is given, else no output.
   * A string without `output` gives an output with no data parts.
   */
  outputKey: z.string().min(1).max(100).nullable().optional(),
  output: TaskRunOutputSeedSchema.optional(),
  /**
   * The output appears this long after the task run ends: until then
   * fetchOutput answers 404 and the task run names no `outputKey`, as when
   * AIDP is still storing it. @default 0
   */
  outputDelayMs: z.number().int().nonnegative().optional(),
  /**
   * Earlier attempts of this task run (AIDP retried it), oldest first: each
   * is listed in `TaskRun.retries[]` with its own `outputKey`, and
   * fetchOutput with that key answers its output. @default none
   */
  earlierAttempts: z
    .array(
      z.strictObject({
        outputKey: z.string().min(1).max(100),
        output: TaskRunOutputSeedSchema,
        finalStatus: z.string().min(1).default("FAILED"),
      }),
    )
    .optional(),
  /**
   * How long the task runs. Tasks run one after the other from the job run's
   * `timeCreated`. @default job `durationMs / tasks.length`, or 0 (already
   * finished) when the job run has no duration either.
   */
  durationMs: z.number().int().nonnegative().optional(),
  /**
   * `State.status` once finished (open enum). @default "SUCCESS", or
   * "UPSTREAM_FAILED"/"UPSTREAM_CANCELED" after an earlier task that ended
   * FAILED/TIMED_OUT/INTERNAL_ERROR or CANCELED (such a task never starts).
   */
  finalStatus: z.string().min(1).optional(),
});
export type TaskSeed = z.input<typeof TaskSeedSchema>;

export const JobRunSeedSchema = z.strictObject({
  key: z.string().min(1).max(255).optional(),
  jobKey: z.string().min(1),
  /** @default `${jobKey} run` */
  name: z.string().min(1).optional(),
  /** Epoch ms. @default clock.now(). In the future = not visible yet. */
  timeCreated: z.number().int().optional(),
  /** Total run time; the job ends at the later of this and its last task's end. */
  durationMs: z.number().int().nonnegative().optional(),
  /** @default "SUCCESS", or the worst task status (FAILED, CANCELED…) when a task did not succeed */
  finalStatus: z.string().min(1).optional(),
  /** @default the emulator's API-key user */
  createdBy: z.string().optional(),
  tasks: z.array(TaskSeedSchema),
});
export type JobRunSeed = z.input<typeof JobRunSeedSchema>;
