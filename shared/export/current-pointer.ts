/**
 * `current.json`, next to the version folders of one output key: which
 * version is the newest one archived, and where its manifest is. It is
 * written after that manifest, with `if-none-match: *` (first export) or
 * `if-match: <etag>` (a newer version replaces an older one), so concurrent
 * exporters converge on the highest version. It is a convenience: a reader
 * still trusts only the manifest it points to.
 */
import { storedJsonOrUndefined } from "../schema/stored-json.js";
import * as z from "../schema/zod.js";

export const POINTER_SCHEMA_VERSION = 1;

export const CurrentPointerSchema = z.object({
  schemaVersion: z.literal(POINTER_SCHEMA_VERSION),
  /** `null` for an output without a version. */
  version: z.nullable(z.number().check(z.int())),
  /** Full object name of that version's manifest. */
  manifest: z.string().check(z.minLength(1)),
  updatedAt: z.string(),
});
export type CurrentPointer = z.infer<typeof CurrentPointerSchema>;

export function buildPointer(version: number | undefined, manifest: string, nowMs: number): CurrentPointer {
  return { schemaVersion: POINTER_SCHEMA_VERSION, version: version ?? null, manifest, updatedAt: new Date(nowMs).toISOString() };
}

export function serializePointer(pointer: CurrentPointer): Buffer {
  return Buffer.from(`${JSON.stringify(pointer, null, 2)}\n`, "utf8");
}

export function parsePointer(body: Buffer | string): CurrentPointer | undefined {
  return storedJsonOrUndefined(CurrentPointerSchema, body);
}

/** Orders versions; "no version" is older than any numbered one. */
export function compareVersions(a: number | null | undefined, b: number | null | undefined): number {
  const x = a ?? Number.NEGATIVE_INFINITY;
  const y = b ?? Number.NEGATIVE_INFINITY;
  return x === y ? 0 : x < y ? -1 : 1;
}

/**
 * What to do with `current.json` after the manifest of `version` exists:
 * - `create` when there is none (write with `if-none-match: *`);
 * - `replace` when it names an older version or does not parse (write with `if-match`);
 * - `keep` when it already names this version or a newer one.
 */
export type PointerAction = "create" | "replace" | "keep";

export function pointerAction(existing: { pointer: CurrentPointer | undefined } | undefined, version: number | undefined): PointerAction {
  if (existing === undefined) return "create";
  if (existing.pointer === undefined) return "replace";
  return compareVersions(existing.pointer.version, version) >= 0 ? "keep" : "replace";
}
