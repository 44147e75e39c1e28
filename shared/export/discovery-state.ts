/**
 * The discovery state of one workspace (`<statePrefix>exports/<platform>/<workspace>/watermark.json`
 * in the state bucket), replaced with `if-match` so two sweeps never
 * overwrite each other's progress.
 *
 * - `watermarkMs`: job runs created before `watermarkMs - margin` are all
 *   fully exported. It never passes a job run that is unfinished, has an
 *   unknown status, or whose export failed, so nothing is forgotten.
 * - `done`: job runs at or after `watermarkMs - margin` that are already fully
 *   exported, so a sweep that lists them again (the margin, or a watermark held
 *   back by a long job run) does not look at them twice.
 * - `noOutput`: the latest task runs recorded as having no output (fetchOutput
 *   answered 404 past the grace window, output-not-found.ts), each with the
 *   404's `opc-request-id` and the reason, so a user can see why nothing was
 *   archived. The newest `NO_OUTPUT_RECORDS_KEPT` are kept.
 * - `awaitingOutput`: task runs whose fetchOutput answered 404 inside the
 *   grace window in the last sweep: their job runs are not done and hold the
 *   watermark until the output appears or the window ends.
 */
import { storedJsonOrUndefined } from "../schema/stored-json.js";
import * as z from "../schema/zod.js";

export const DISCOVERY_STATE_SCHEMA_VERSION = 1;

/** How many `noOutput` records the state keeps (newest first out of the window). */
export const NO_OUTPUT_RECORDS_KEPT = 200;

export const OutputNotFoundRecordSchema = z.object({
  jobRunKey: z.string(),
  taskRunKey: z.string(),
  outputKey: z.nullable(z.string()),
  /** `opc-request-id` of the 404 the decision was taken on. */
  opcRequestId: z.nullable(z.string()),
  reason: z.string(),
  /** RFC 3339. */
  decidedAt: z.string(),
  /** RFC 3339 end of the grace window (awaiting only). */
  retryUntil: z.optional(z.string()),
});
export type OutputNotFoundRecord = z.infer<typeof OutputNotFoundRecordSchema>;

export const DiscoveryStateSchema = z.object({
  schemaVersion: z.literal(DISCOVERY_STATE_SCHEMA_VERSION),
  watermarkMs: z.number().check(z.int()),
  done: z.array(z.object({ key: z.string(), timeCreatedMs: z.number().check(z.int()) })),
  /** Absent in states written before it existed. */
  noOutput: z.optional(z.array(OutputNotFoundRecordSchema)),
  awaitingOutput: z.optional(z.array(OutputNotFoundRecordSchema)),
  updatedAt: z.string(),
});
export type DiscoveryState = z.infer<typeof DiscoveryStateSchema>;

export function parseDiscoveryState(body: Buffer | string): DiscoveryState | undefined {
  return storedJsonOrUndefined(DiscoveryStateSchema, body);
}

export function serializeDiscoveryState(state: DiscoveryState): Buffer {
  return Buffer.from(`${JSON.stringify(state)}\n`, "utf8");
}
