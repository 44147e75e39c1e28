/**
 * `AsyncOperation` / `AsyncOperationSummary` (API 20260430; docs/aidp-api.md, "Async operations").
 * Times are RFC 3339 strings, kept as sent. Fields we don't know are kept
 * (loose objects): a newer service field must reach the CLI's output.
 * The documented "required" fields are required, except `timeStarted`,
 * which the summary lacks.
 */
import * as z from "../schema/zod.js";
import { AsyncOperationActionTypeSchema, AsyncOperationResourceTypeSchema, AsyncOperationStatusSchema } from "./aidp-enums.js";
import { optString } from "../schema/nullish.js";

const common = {
  key: z.string().check(z.minLength(1)),
  resourceType: AsyncOperationResourceTypeSchema,
  actionType: AsyncOperationActionTypeSchema,
  resourceName: z.string(),
  resourceDisplayName: optString,
  createdBy: optString,
  createdByName: optString,
  timeStarted: optString,
  timeFinished: optString,
  status: AsyncOperationStatusSchema,
  statusDetails: optString,
};

export const AsyncOperationSchema = z.looseObject({
  ...common,
  errorCode: optString,
  errorMessage: optString,
});
export type AsyncOperation = z.output<typeof AsyncOperationSchema>;

export const AsyncOperationSummarySchema = z.looseObject(common);
export type AsyncOperationSummary = z.output<typeof AsyncOperationSummarySchema>;

export const AsyncOperationCollectionSchema = z.object({ items: z.array(AsyncOperationSummarySchema) });
