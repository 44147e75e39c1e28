/**
 * `manifest.json`: the commit marker of one export (one task run, one output
 * key, one output version). It is written last, with `if-none-match: *`, after
 * every object it lists was written and its sha256 checked, so:
 * - no manifest → the export is incomplete (or running); ignore the folder;
 * - a manifest → every part with `status: "archived"` exists under `object`
 *   with exactly `bytes` bytes hashing to `sha256`.
 *
 * Readers should parse with `ManifestSchema` (unknown fields are ignored, so
 * later minor additions don't break them); `schemaVersion` changes only when
 * a field's meaning changes.
 */
import { storedJsonOrUndefined } from "../schema/stored-json.js";
import * as z from "../schema/zod.js";

export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_KIND = "aidp-watch/task-run-output";

const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, "must be a lower-case hex sha256"));

export const ManifestWarningSchema = z.object({ code: z.string(), message: z.string() });

const PartEncodingShape = {
  index: z.number().check(z.int(), z.nonnegative()),
  /** `RunOutputData.type` as AIDP sent it (open enum). */
  type: z.string(),
  /** `RunOutputData.length` as sent (a decimal string), `null` when absent. */
  declaredLength: z.nullable(z.string()),
  compression: z.nullable(z.string()),
  charset: z.nullable(z.string()),
  isBase64: z.nullable(z.boolean()),
};

export const ArchivedPartSchema = z.object({
  ...PartEncodingShape,
  status: z.literal("archived"),
  /** Full object name in the output bucket. */
  object: z.string().check(z.minLength(1)),
  contentType: z.string(),
  /** Decoded size in bytes. */
  bytes: z.number().check(z.int(), z.nonnegative()),
  sha256: sha256Hex,
  warnings: z.array(ManifestWarningSchema),
});

export const FailedPartSchema = z.object({
  ...PartEncodingShape,
  status: z.literal("failed"),
  error: z.object({ name: z.string(), code: z.string(), message: z.string() }),
  /**
   * The part's raw `value` exactly as AIDP sent it (still base64/compressed),
   * so nothing is lost and it can be decoded by hand later. `null` when the
   * part had no value.
   */
  undecoded: z.nullable(
    z.object({ object: z.string().check(z.minLength(1)), bytes: z.number().check(z.int(), z.nonnegative()), sha256: sha256Hex }),
  ),
  warnings: z.array(ManifestWarningSchema),
});

export const ManifestPartSchema = z.discriminatedUnion("status", [ArchivedPartSchema, FailedPartSchema]);

export const ManifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  kind: z.literal(MANIFEST_KIND),
  platformId: z.string(),
  workspaceKey: z.string(),
  taskRunKey: z.string(),
  jobRunKey: z.nullable(z.string()),
  taskRunName: z.nullable(z.string()),
  /** `TaskRun.state.status` when the export ran (for an earlier attempt: that attempt's status). */
  taskRunStatus: z.nullable(z.string()),
  /**
   * Set when this output is an earlier attempt of the task run
   * (`TaskRun.retries[]`): its `retryAttempt` (0 = the original run), or null
   * when AIDP did not number it. Absent for the task run's current output.
   */
  earlierAttempt: z.optional(z.object({ retryAttempt: z.nullable(z.number().check(z.int())) })),
  /** The output key the export asked for / AIDP returned; `null` when there was none. */
  outputKey: z.nullable(z.string()),
  version: z.nullable(z.number().check(z.int())),
  taskType: z.nullable(z.string()),
  isTruncated: z.boolean(),
  errorTrace: z.nullable(z.string()),
  outputParameters: z.array(z.object({ name: z.string(), value: z.nullable(z.string()) })),
  /** RFC 3339 time the manifest was built. */
  exportedAt: z.string(),
  /** True when every part was archived (no `failed` part). */
  complete: z.boolean(),
  parts: z.array(ManifestPartSchema),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestPart = z.infer<typeof ManifestPartSchema>;

export interface ManifestInput {
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly taskRunKey: string;
  readonly jobRunKey?: string | undefined;
  readonly taskRunName?: string | undefined;
  readonly taskRunStatus?: string | undefined;
  readonly earlierAttempt?: { readonly retryAttempt: number | undefined } | undefined;
  readonly outputKey: string | undefined;
  readonly output: {
    readonly version?: number | undefined;
    readonly taskType?: string | undefined;
    readonly isTruncated: boolean;
    readonly errorTrace?: string | undefined;
    readonly outputParameters?: ReadonlyArray<{ readonly name: string; readonly value?: string | undefined }> | undefined;
  };
  readonly parts: readonly ManifestPart[];
  readonly exportedAtMs: number;
}

/** Builds (and validates) the manifest; parts are sorted by index. */
export function buildManifest(input: ManifestInput): Manifest {
  const parts = [...input.parts].sort((a, b) => a.index - b.index);
  return ManifestSchema.parse({
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    kind: MANIFEST_KIND,
    platformId: input.platformId,
    workspaceKey: input.workspaceKey,
    taskRunKey: input.taskRunKey,
    jobRunKey: input.jobRunKey ?? null,
    taskRunName: input.taskRunName ?? null,
    taskRunStatus: input.taskRunStatus ?? null,
    ...(input.earlierAttempt ? { earlierAttempt: { retryAttempt: input.earlierAttempt.retryAttempt ?? null } } : {}),
    outputKey: input.outputKey ?? null,
    version: input.output.version ?? null,
    taskType: input.output.taskType ?? null,
    isTruncated: input.output.isTruncated,
    errorTrace: input.output.errorTrace ?? null,
    outputParameters: (input.output.outputParameters ?? []).map((p) => ({ name: p.name, value: p.value ?? null })),
    exportedAt: new Date(input.exportedAtMs).toISOString(),
    complete: parts.every((p) => p.status === "archived"),
    parts,
  });
}

export function serializeManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
}

/** Parses stored manifest bytes; `undefined` when they are not a manifest of this schema. */
export function parseManifest(body: Buffer | string): Manifest | undefined {
  return storedJsonOrUndefined(ManifestSchema, body);
}
