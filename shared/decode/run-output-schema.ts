/**
 * Schemas for the AIDP `fetchOutput` response (TaskRunOutput / RunOutputData,
 * API version 20260430). Shared with the AIDP client, which parses responses
 * with them. Enums are open (new values must not break parsing) and unknown
 * fields are stripped, not rejected: this is an API response we don't own.
 * Optional fields also accept `null`, which some OCI services send for "absent".
 */
import * as z from "../schema/zod.js";
import { opt, optBoolean, optInt, optString } from "../schema/nullish.js";
import { openEnum } from "../schema/open-enum.js";

export const RUN_OUTPUT_TYPES = [
  "TEXT_PLAIN",
  "NOTEBOOK",
  "TEXT_HTML",
  "IMAGE_PNG",
  "IMAGE_SVG",
  "IMAGE_JPEG",
  "APPLICATION_PDF",
  "APPLICATION_JSON",
  "FILE_PATH",
  "NOTEBOOK_PATH",
] as const;
export const RUN_OUTPUT_COMPRESSIONS = ["GZIP", "DEFLATE", "COMPRESS", "BZIP2"] as const;
export const RUN_OUTPUT_CHARSETS = ["UTF_8", "UTF_16"] as const;
export const TASK_TYPES = ["NOTEBOOK_TASK", "PYTHON_TASK", "SPARK_SUBMIT_TASK", "IF_ELSE_TASK", "JOB_TASK", "JAR_TASK"] as const;

export type RunOutputType = (typeof RUN_OUTPUT_TYPES)[number];
export type RunOutputCompression = (typeof RUN_OUTPUT_COMPRESSIONS)[number];
export type RunOutputCharset = (typeof RUN_OUTPUT_CHARSETS)[number];

export const RunOutputDataSchema = z.object({
  type: openEnum(RUN_OUTPUT_TYPES),
  isBase64: optBoolean,
  compression: opt(openEnum(RUN_OUTPUT_COMPRESSIONS)),
  charset: opt(openEnum(RUN_OUTPUT_CHARSETS)),
  /** Size of the object in bytes, as a decimal string. */
  length: optString,
  value: optString,
});
export type RunOutputData = z.infer<typeof RunOutputDataSchema>;
/** What a producer may send (before defaults/null handling). */
export type RunOutputDataInput = z.input<typeof RunOutputDataSchema>;

export const OutputParameterSchema = z.object({
  name: z.string(),
  value: optString,
});
export type OutputParameter = z.infer<typeof OutputParameterSchema>;

export const TaskRunOutputSchema = z.object({
  data: z.array(RunOutputDataSchema),
  errorTrace: optString,
  isTruncated: z.pipe(
    z.nullish(z.boolean()),
    z.transform((v: boolean | null | undefined) => v ?? false),
  ),
  key: optString,
  outputParameters: opt(z.array(OutputParameterSchema)),
  taskType: opt(openEnum(TASK_TYPES)),
  version: optInt,
});
export type TaskRunOutput = z.infer<typeof TaskRunOutputSchema>;
export type TaskRunOutputInput = z.input<typeof TaskRunOutputSchema>;
