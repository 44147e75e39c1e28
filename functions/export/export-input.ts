/**
 * What the export function accepts, all validated with zod before anything
 * is called or written:
 * - a plain request `{ aiDataPlatformId, workspaceKey, taskRunKey, outputKey? }`
 *   (unknown keys rejected: a typo must not silently export something else);
 * - an array of those (at most `MAX_BATCH`);
 * - an OCI Events (CloudEvents 0.1) envelope carrying the keys in
 *   `data.additionalDetails` (the platform OCID may instead be `data.resourceId`);
 *   envelope fields we don't use are ignored, since we don't own that format.
 * Every problem of every item is listed in one `ExportInputError`.
 */
import * as z from "../../shared/schema/zod.js";
import { ExportInputError } from "../../shared/export/export-errors.js";
import type { ExportRequest } from "../../shared/export/export-task-run.js";
import { safeKeySchema } from "../../shared/export/object-key.js";

export const MAX_BATCH = 100;

const RequestSchema = z.strictObject({
  aiDataPlatformId: safeKeySchema("platformId"),
  workspaceKey: safeKeySchema("workspaceKey"),
  taskRunKey: safeKeySchema("taskRunKey"),
  outputKey: z.optional(safeKeySchema("outputKey")),
});

const EventSchema = z.looseObject({
  eventType: z.string(),
  cloudEventsVersion: z.optional(z.string()),
  data: z.looseObject({
    resourceId: z.optional(z.string()),
    additionalDetails: z.looseObject({
      aiDataPlatformId: z.optional(z.unknown()),
      workspaceKey: z.optional(z.unknown()),
      taskRunKey: z.optional(z.unknown()),
      outputKey: z.optional(z.unknown()),
    }),
  }),
});

function issues(error: z.core.$ZodError, path: string): string[] {
  return error.issues.map((i) => {
    const where = [path, ...i.path.map(String)].filter((s) => s !== "").join(".");
    if (i.code === "unrecognized_keys") return `${where || "(input)"}: unknown key(s) ${i.keys.join(", ")}`;
    return `${where || "(input)"}: ${i.message}`;
  });
}

function toRequest(r: z.output<typeof RequestSchema>): ExportRequest {
  return { platformId: r.aiDataPlatformId, workspaceKey: r.workspaceKey, taskRunKey: r.taskRunKey, outputKey: r.outputKey };
}

function parseOne(value: unknown, path: string, problems: string[]): ExportRequest | undefined {
  const parsed = RequestSchema.safeParse(value);
  if (parsed.success) return toRequest(parsed.data);
  problems.push(...issues(parsed.error, path));
  return undefined;
}

function isEnvelope(input: unknown): boolean {
  return typeof input === "object" && input !== null && !Array.isArray(input) && "eventType" in input;
}

/** Parses the function input; throws `ExportInputError` listing every problem. */
export function parseExportInput(input: unknown): ExportRequest[] {
  const problems: string[] = [];
  let requests: Array<ExportRequest | undefined>;
  if (Array.isArray(input)) {
    if (input.length === 0) throw new ExportInputError(["(input): the array is empty"]);
    if (input.length > MAX_BATCH) throw new ExportInputError([`(input): at most ${MAX_BATCH} requests per call, got ${input.length}`]);
    requests = input.map((item, i) => parseOne(item, `[${i}]`, problems));
  } else if (isEnvelope(input)) {
    const event = EventSchema.safeParse(input);
    if (!event.success) throw new ExportInputError(issues(event.error, "event"));
    const details = event.data.data.additionalDetails;
    const platform = details.aiDataPlatformId ?? event.data.data.resourceId;
    const candidate = Object.fromEntries(
      Object.entries({
        aiDataPlatformId: platform,
        workspaceKey: details.workspaceKey,
        taskRunKey: details.taskRunKey,
        outputKey: details.outputKey,
      }).filter(([, v]) => v !== undefined && v !== null),
    );
    requests = [parseOne(candidate, "event.data.additionalDetails", problems)];
  } else if (input === undefined || input === null || input === "" || (typeof input === "object" && Object.keys(input).length === 0)) {
    throw new ExportInputError([
      "(input): empty; send { aiDataPlatformId, workspaceKey, taskRunKey, outputKey? }, an array of them, or an OCI Events envelope",
    ]);
  } else {
    requests = [parseOne(input, "", problems)];
  }
  if (problems.length > 0) throw new ExportInputError(problems);
  return requests.filter((r): r is ExportRequest => r !== undefined);
}
