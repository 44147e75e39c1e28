import * as z from "../schema/zod.js";
import { openEnum } from "./open-enum.js";

/**
 * Schemas for the AIDP `fetchOutput` response (TaskRunOutput / RunOutputData,
 * API version 20260430). Shared with the AIDP client, which parses responses
 * with them. Enums are open (new values must not break parsing) and unknown
 * fields are stripped, not rejected: this is an API response we don't own.
 * Optional fields also accept `null`, which some OCI services send for "absent".
 */
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
export const TASK_TYPES = [
  "NOTEBOOK_TASK",
  "PYTHON_TASK",
  "SPARK_SUBMIT_TASK",
  "IF_ELSE_TASK",
  "JOB_TASK",
  "JAR_TASK",
] as const;

export type RunOutputType = (typeof RUN_OUTPUT_TYPES)[number];
export type RunOutputCompression = (typeof RUN_OUTPUT_COMPRESSIONS)[number];
export type RunOutputCharset = (typeof RUN_OUTPUT_CHARSETS)[number];

/** `null` and absent mean the same thing; the parsed value is `undefined` either way. */
function optional<T extends z.core.$ZodType>(schema: T) {
  return z.pipe(z.nullish(schema), z.transform((v: z.output<T> | null | undefined) => v ?? undefined));
}

export const RunOutputDataSchema = z.object({
  type: openEnum(RUN_OUTPUT_TYPES),
  isBase64: optional(z.boolean()),
  compression: optional(openEnum(RUN_OUTPUT_COMPRESSIONS)),
  charset: optional(openEnum(RUN_OUTPUT_CHARSETS)),
  /** Size of the object in bytes, as a decimal string. */
  length: optional(z.string()),
  value: optional(z.string()),
});
export type RunOutputData = z.infer<typeof RunOutputDataSchema>;
/** What a producer may send (before defaults/null handling). */
export type RunOutputDataInput = z.input<typeof RunOutputDataSchema>;

export const OutputParameterSchema = z.object({
  name: z.string(),
  value: optional(z.string()),
});
export type OutputParameter = z.infer<typeof OutputParameterSchema>;

export const TaskRunOutputSchema = z.object({
  data: z.array(RunOutputDataSchema),
  errorTrace: optional(z.string()),
  isTruncated: z.pipe(z.nullish(z.boolean()), z.transform((v: boolean | null | undefined) => v ?? false)),
  key: optional(z.string()),
  outputParameters: optional(z.array(OutputParameterSchema)),
  taskType: optional(openEnum(TASK_TYPES)),
  version: optional(z.number().check(z.int())),
});
export type TaskRunOutput = z.infer<typeof TaskRunOutputSchema>;
export type TaskRunOutputInput = z.input<typeof TaskRunOutputSchema>;
