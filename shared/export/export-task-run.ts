/**
 * Exports one task run's output to the output bucket:
 *
 *   getTaskRun (job-run key, status, output key when none is given)
 *   → fetchOutput (one opc-retry-token for all attempts: the AIDP client's rule)
 *   → manifest of this version already there? → done, no writes (only
 *     `current.json` is repaired if a crash left it behind)
 *   → every part: decode, write (archive-part.ts)
 *   → manifest.json with if-none-match:* (the commit marker)
 *   → current.json (update-pointer.ts)
 *
 * Failure semantics: a part that can't be decoded is recorded in the manifest
 * and the others are archived; any other failure (AIDP or Object Storage
 * fault after the clients' retries, the deadline) throws before the manifest
 * is written, so the export stays visibly incomplete and the next attempt
 * redoes it, keeping the parts already written.
 */
import type { AidpClient } from "../aidp/aidp-client.js";
import type { FetchedTaskRunOutput } from "../aidp/fetched-output-schema.js";
import { type EarlierAttempt, earlierAttempts as earlierAttemptsOf, type TaskRun } from "../aidp/workflow-schema.js";
import { isDeadlineExceeded, ServiceError } from "../http/http-errors.js";
import { type Logger, silentLogger } from "../log/logger.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import { type Clock, systemClock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { archivePart } from "./archive-part.js";
import { archiveLayout, type ArchiveLayout, taskRunPrefix } from "./archive-layout.js";
import { CorruptArchiveError, ExportIncompleteError, UnknownOutputKeyError } from "./export-errors.js";
import { DEFAULT_OUTPUT_NOT_FOUND_GRACE_MS, decideOutputNotFound } from "./output-not-found.js";
import { DEFAULT_BUFFER_PART_BYTES, type ExportSettings } from "./export-settings.js";
import { buildManifest, type Manifest, type ManifestPart, parseManifest, serializeManifest } from "./manifest.js";
import { assertSafeKey } from "./object-key.js";
import { type PointerResult, updatePointer } from "./update-pointer.js";
import { type RenderingAidp, writeViewer } from "./write-viewer.js";

/** `exportTaskRunOutput` (optional) is AIDP's own rendering, archived beside the viewer (write-viewer.ts). */
export type ExportAidp = Pick<AidpClient, "getTaskRun" | "fetchOutput"> & RenderingAidp;

export interface ExportDeps {
  readonly aidp: ExportAidp;
  /** The output bucket. */
  readonly store: ObjectStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface ExportRequest {
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly taskRunKey: string;
  /** @default the task run's `outputKey` */
  readonly outputKey?: string | undefined;
}

export type ExportStatus =
  /** This call wrote the manifest. */
  | "exported"
  /** The manifest of this version was already there: nothing was written (except a missing `current.json`). */
  | "already-exported"
  /** Another exporter committed the same version while this one ran; its manifest was checked. */
  | "exported-concurrently"
  /**
   * AIDP has no output for this task run: fetchOutput answered 404 and the
   * task run ended longer ago than the grace window (output-not-found.ts);
   * nothing was written. `notFound` says why, with the 404's request id.
   */
  | "no-output"
  /** fetchOutput answered 404 while the output may still appear (inside the grace window): ask again later; nothing was written. */
  | "output-pending";

export interface ExportOutcome {
  readonly status: ExportStatus;
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly taskRunKey: string;
  readonly jobRunKey: string | null;
  readonly outputKey: string | null;
  readonly version: number | null;
  readonly bucket: string;
  /** Object name of the manifest (absent for `no-output`). */
  readonly manifest?: string;
  /** Object name of `current.json` (absent for `no-output`). */
  readonly current?: string;
  readonly pointer?: PointerResult;
  readonly parts: number;
  readonly failedParts: number;
  /** Decoded bytes of the archived parts. */
  readonly bytes: number;
  /** Objects written by this call (parts, manifest, pointer). */
  readonly writes: number;
  /** For `no-output` and `output-pending`: the 404 and the decision taken on it. */
  readonly notFound?: OutputNotFound;
  /**
   * The task run's earlier attempts (`TaskRun.retries[]`, each with its own
   * output key), archived before the current one, oldest first. Present when
   * the task run has any and no output key was asked for.
   */
  readonly earlierAttempts?: readonly ExportOutcome[];
}

export interface OutputNotFound {
  /** `opc-request-id` of the 404 (what Oracle support asks for). */
  readonly opcRequestId: string | null;
  readonly reason: string;
  /** RFC 3339 end of the grace window, when there is one. */
  readonly retryUntil?: string;
}

export interface ExportCall {
  /** Work stops (no new part, no manifest) once this passes. */
  readonly deadline: Deadline;
}

function checkDeadline(deadline: Deadline, step: string, layout: ArchiveLayout): void {
  if (deadline.expired) {
    throw new ExportIncompleteError(`deadline reached before ${step}; no manifest written, the next attempt resumes`, {
      context: { step, manifest: layout.manifest, deadline: deadline.toISOString() },
    });
  }
}

function summarize(parts: readonly ManifestPart[]) {
  let bytes = 0;
  let failed = 0;
  for (const p of parts) {
    if (p.status === "archived") bytes += p.bytes;
    else failed++;
  }
  return { parts: parts.length, failedParts: failed, bytes };
}

async function readManifest(store: ObjectStore, name: string, deadline: Deadline): Promise<Manifest | undefined> {
  const existing = await store.get(name, { deadline });
  if (!existing) return undefined;
  const manifest = parseManifest(existing.body);
  if (!manifest)
    throw new CorruptArchiveError(`${name} exists but is not a valid manifest; refusing to overwrite it`, { context: { object: name } });
  return manifest;
}

async function fetchOutputOrNotFound(
  deps: ExportDeps,
  req: ExportRequest,
  outputKey: string | undefined,
  deadline: Deadline,
): Promise<FetchedTaskRunOutput | ServiceError> {
  try {
    const res = await deps.aidp.fetchOutput(
      req.platformId,
      req.workspaceKey,
      req.taskRunKey,
      outputKey === undefined ? {} : { outputKey },
      { deadline },
    );
    return res.data;
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) return err;
    throw err;
  }
}

export async function exportTaskRun(
  deps: ExportDeps,
  settings: ExportSettings,
  req: ExportRequest,
  call: ExportCall,
): Promise<ExportOutcome> {
  const clock = deps.clock ?? systemClock;
  const { deadline } = call;
  // Validate every key from outside before any call: a hostile key writes nothing.
  taskRunPrefix(settings.prefix, req);
  if (req.outputKey !== undefined) assertSafeKey("outputKey", req.outputKey);
  const logger = (deps.logger ?? silentLogger).child({
    platformId: req.platformId,
    workspaceKey: req.workspaceKey,
    taskRunKey: req.taskRunKey,
  });

  const taskRun = (await deps.aidp.getTaskRun(req.platformId, req.workspaceKey, req.taskRunKey, { deadline })).data;
  const askedKey = req.outputKey ?? taskRun.outputKey;
  if (askedKey !== undefined) assertSafeKey("outputKey", askedKey);
  // Earlier attempts first, the current one last: its current.json, written
  // last, is what says the task run is archived (isTaskRunArchived checks
  // every attempt's pointer anyway). Asked for one key, only that one.
  const earlierAttempts: ExportOutcome[] = [];
  if (req.outputKey === undefined) {
    for (const attempt of earlierAttemptsOf(taskRun)) {
      assertSafeKey("outputKey", attempt.outputKey);
      // The key comes from AIDP itself, so a 404 on it is never "wrong key".
      const child = logger.child({ outputKey: attempt.outputKey, retryAttempt: attempt.retryAttempt });
      earlierAttempts.push(await exportOneOutput(deps, settings, req, taskRun, attempt.outputKey, undefined, call, clock, child, attempt));
    }
  }
  const current = await exportOneOutput(deps, settings, req, taskRun, askedKey, req.outputKey, call, clock, logger);
  return earlierAttempts.length > 0 ? { ...current, earlierAttempts } : current;
}

async function exportOneOutput(
  deps: ExportDeps,
  settings: ExportSettings,
  req: ExportRequest,
  taskRun: TaskRun,
  askedKey: string | undefined,
  callerKey: string | undefined,
  call: ExportCall,
  clock: Clock,
  logger: Logger,
  attempt?: EarlierAttempt,
): Promise<ExportOutcome> {
  const { store } = deps;
  const { deadline } = call;
  const fetched = await fetchOutputOrNotFound(deps, req, askedKey, deadline);
  const base = {
    platformId: req.platformId,
    workspaceKey: req.workspaceKey,
    taskRunKey: req.taskRunKey,
    jobRunKey: taskRun.jobRunKey ?? null,
    bucket: store.bucket,
  };
  if (fetched instanceof ServiceError) {
    const decision = decideOutputNotFound({
      callerKey,
      taskRunOutputKey: taskRun.outputKey,
      status: taskRun.state?.status,
      endTimeMs: taskRun.endTime,
      nowMs: clock.now(),
      graceMs: settings.outputNotFoundGraceMs ?? DEFAULT_OUTPUT_NOT_FOUND_GRACE_MS,
    });
    const opcRequestId = fetched.opcRequestId ?? null;
    if (decision.kind === "wrong-key") {
      throw new UnknownOutputKeyError(callerKey ?? "", decision.reason, {
        cause: fetched,
        context: { ...base, outputKey: callerKey, taskRunOutputKey: taskRun.outputKey, opcRequestId: fetched.opcRequestId },
      });
    }
    const notFound: OutputNotFound = {
      opcRequestId,
      reason: decision.reason,
      ...(decision.kind === "retry-later" && decision.retryUntilMs !== undefined
        ? { retryUntil: new Date(decision.retryUntilMs).toISOString() }
        : {}),
    };
    const status: ExportStatus = decision.kind === "retry-later" ? "output-pending" : "no-output";
    logger.info(status === "no-output" ? "task run has no output to export" : "task run's output not found yet; asked again later", {
      ...notFound,
    });
    return { ...base, status, outputKey: askedKey ?? null, version: null, parts: 0, failedParts: 0, bytes: 0, writes: 0, notFound };
  }
  const output = fetched;
  // The key the output is filed under: the one asked for, else the one AIDP names. Both come from outside: checked.
  const outputKey = askedKey ?? output.key;
  const layout = archiveLayout(settings.prefix, { ...req, outputKey }, output.version);
  const ids = {
    ...base,
    outputKey: outputKey ?? null,
    version: output.version ?? null,
    manifest: layout.manifest,
    current: layout.current,
  };

  const pointer = (): Promise<PointerResult> =>
    updatePointer({ store, name: layout.current, manifest: layout.manifest, version: output.version, deadline, clock, logger });

  const existing = await readManifest(store, layout.manifest, deadline);
  if (existing) {
    const p = await pointer();
    logger.info("output already exported", { manifest: layout.manifest, pointer: p });
    return { ...ids, status: "already-exported", pointer: p, ...summarize(existing.parts), writes: p === "kept" ? 0 : 1 };
  }

  let writes = 0;
  const parts: ManifestPart[] = [];
  const partContext = {
    store,
    layout,
    taskRunKey: req.taskRunKey,
    limits: settings.limits,
    bufferPartBytes: settings.bufferPartBytes ?? DEFAULT_BUFFER_PART_BYTES,
    deadline,
    clock,
    logger,
  };
  for (const [index, part] of output.data.entries()) {
    checkDeadline(deadline, `part ${index}`, layout);
    const outcome = await archivePart(part, index, partContext).catch((err: unknown) => {
      // A write cut short by the deadline (its socket closed) is the deadline, not a fault.
      if (isDeadlineExceeded(err)) {
        throw new ExportIncompleteError(`deadline reached while writing part ${index}; no manifest written, the next attempt resumes`, {
          cause: err,
          context: { step: `part ${index}`, manifest: layout.manifest, deadline: deadline.toISOString() },
        });
      }
      throw err;
    });
    parts.push(outcome.part);
    writes += outcome.writes;
  }

  checkDeadline(deadline, "the manifest", layout);
  const manifest = buildManifest({
    platformId: req.platformId,
    workspaceKey: req.workspaceKey,
    taskRunKey: req.taskRunKey,
    jobRunKey: taskRun.jobRunKey,
    taskRunName: taskRun.name,
    taskRunStatus: attempt ? attempt.status : taskRun.state?.status,
    earlierAttempt: attempt ? { retryAttempt: attempt.retryAttempt } : undefined,
    outputKey,
    output,
    parts,
    exportedAtMs: clock.now(),
  });
  // The viewer (index.html) goes before the commit marker, like the parts.
  await writeViewer({ store, aidp: deps.aidp, layout, manifest, deadline, logger });
  // Commit. Race: A and B export the same version; both wrote (or found) the
  // same parts. A: put manifest if-none-match:* → 200. B: → 412; B reads A's
  // manifest and, if it parses, reports "exported-concurrently". Exactly one
  // manifest is ever written per version, and it is never rewritten.
  let status: ExportStatus = "exported";
  try {
    await store.put(layout.manifest, serializeManifest(manifest), { ifNoneMatch: "*", contentType: "application/json", deadline });
    writes++;
  } catch (err) {
    if (!(err instanceof PreconditionFailedError)) throw err;
    await readManifest(store, layout.manifest, deadline);
    status = "exported-concurrently";
  }
  const p = await pointer();
  if (p !== "kept") writes++;
  const summary = summarize(parts);
  logger.info("task-run output exported", { manifest: layout.manifest, status, writes, ...summary });
  return { ...ids, status, pointer: p, ...summary, writes };
}
