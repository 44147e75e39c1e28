/**
 * Where an export lives in the output bucket (docs/output-layout.md):
 *
 *   <prefix>/<platformId>/<workspaceKey>/<taskRunKey>/<outputKey>/current.json
 *   <prefix>/<platformId>/<workspaceKey>/<taskRunKey>/<outputKey>/v<version>/manifest.json
 *   <prefix>/<platformId>/<workspaceKey>/<taskRunKey>/<outputKey>/v<version>/<index>-<type>.<ext>
 *
 * Every key is checked (`object-key.ts`) before it becomes a segment, and
 * every composed name is checked against Object Storage's 1024-byte limit.
 * An output with no key at all (neither the caller, the task run nor the
 * output names one) uses the segment `@none`; an output without a `version`
 * uses `unversioned`.
 */
import { contentKindOf } from "../decode/content-types.js";
import { ObjectNameTooLongError } from "./export-errors.js";
import { assertSafeKey, prefixSegments } from "./object-key.js";

export const MAX_OBJECT_NAME_BYTES = 1024;
export const NO_OUTPUT_KEY_SEGMENT = "@none";
export const UNVERSIONED_SEGMENT = "unversioned";
export const MANIFEST_FILE = "manifest.json";
export const CURRENT_FILE = "current.json";

export interface RunIds {
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly taskRunKey: string;
}

export interface OutputIds extends RunIds {
  /** `undefined` when no output key is known. */
  readonly outputKey: string | undefined;
}

export interface ArchiveLayout {
  /** `<prefix>/<platform>/<workspace>/<taskRun>/` — everything archived for the task run. */
  readonly taskRunPrefix: string;
  /** `…/<outputKey>/` */
  readonly outputPrefix: string;
  /** `…/<outputKey>/current.json` */
  readonly current: string;
  /** `…/<outputKey>/v<version>/` */
  readonly versionPrefix: string;
  /** `…/v<version>/manifest.json` */
  readonly manifest: string;
  /** `…/v<version>/<index>-<type>.<ext>` */
  part(index: number, type: string): string;
  /** `…/v<version>/<index>-<type>.undecoded`: the raw `value` of a part that could not be decoded. */
  undecoded(index: number, type: string): string;
}

function checkLength(name: string): string {
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_OBJECT_NAME_BYTES) {
    throw new ObjectNameTooLongError(`object name would be ${bytes} bytes, more than Object Storage's ${MAX_OBJECT_NAME_BYTES}`, {
      context: { bytes, limit: MAX_OBJECT_NAME_BYTES },
    });
  }
  return name;
}

export function versionSegment(version: number | undefined): string {
  return version === undefined ? UNVERSIONED_SEGMENT : `v${version}`;
}

/**
 * The file-name stem of a part's type: known types in lower case
 * (`IMAGE_PNG` → `image_png`); an unknown type the API adds later is used the
 * same way when it is a plain identifier, else `unknown` (the manifest keeps
 * the raw value). Not a key from a caller, so mapping is safe here.
 */
export function typeSegment(type: string): string {
  return /^[A-Za-z0-9_]{1,64}$/.test(type) ? type.toLowerCase() : "unknown";
}

/** `000-image_png.png`: zero-padded so listings sort in part order. */
export function partFileName(index: number, type: string): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`part index must be a non-negative integer, got ${index}`);
  return `${String(index).padStart(3, "0")}-${typeSegment(type)}${contentKindOf(type).kind.extension}`;
}

function join(segments: readonly string[]): string {
  return segments.join("/");
}

/** The task run's folder (checks platform, workspace and task-run keys). */
export function taskRunPrefix(prefix: string, ids: RunIds): string {
  assertSafeKey("platformId", ids.platformId);
  assertSafeKey("workspaceKey", ids.workspaceKey);
  assertSafeKey("taskRunKey", ids.taskRunKey);
  return checkLength(`${join([...prefixSegments(prefix), ids.platformId, ids.workspaceKey, ids.taskRunKey])}/`);
}

export function archiveLayout(prefix: string, ids: OutputIds, version: number | undefined): ArchiveLayout {
  const runPrefix = taskRunPrefix(prefix, ids);
  const outputSegment = ids.outputKey === undefined ? NO_OUTPUT_KEY_SEGMENT : assertSafeKey("outputKey", ids.outputKey);
  const outputPrefix = checkLength(`${runPrefix}${outputSegment}/`);
  const versionPrefix = checkLength(`${outputPrefix}${versionSegment(version)}/`);
  return {
    taskRunPrefix: runPrefix,
    outputPrefix,
    current: checkLength(`${outputPrefix}${CURRENT_FILE}`),
    versionPrefix,
    manifest: checkLength(`${versionPrefix}${MANIFEST_FILE}`),
    part: (index, type) => checkLength(`${versionPrefix}${partFileName(index, type)}`),
    undecoded: (index, type) => checkLength(`${versionPrefix}${String(index).padStart(3, "0")}-${typeSegment(type)}.undecoded`),
  };
}

/** Watermark of automatic discovery for one workspace, in the state bucket. */
export function watermarkObjectName(statePrefix: string, platformId: string, workspaceKey: string): string {
  assertSafeKey("platformId", platformId);
  assertSafeKey("workspaceKey", workspaceKey);
  return checkLength(`${join([...prefixSegments(statePrefix), "exports", platformId, workspaceKey])}/watermark.json`);
}
