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
 */
import { storedJsonOrUndefined } from "../schema/stored-json.js";
import * as z from "../schema/zod.js";

export const DISCOVERY_STATE_SCHEMA_VERSION = 1;

export const DiscoveryStateSchema = z.object({
  schemaVersion: z.literal(DISCOVERY_STATE_SCHEMA_VERSION),
  watermarkMs: z.number().check(z.int()),
  done: z.array(z.object({ key: z.string(), timeCreatedMs: z.number().check(z.int()) })),
  updatedAt: z.string(),
});
export type DiscoveryState = z.infer<typeof DiscoveryStateSchema>;

export function parseDiscoveryState(body: Buffer | string): DiscoveryState | undefined {
  return storedJsonOrUndefined(DiscoveryStateSchema, body);
}

export function serializeDiscoveryState(state: DiscoveryState): Buffer {
  return Buffer.from(`${JSON.stringify(state)}\n`, "utf8");
}
