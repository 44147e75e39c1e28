/**
 * The export module's error family. Every member carries the task run it was
 * working on (`platformId`, `workspaceKey`, `taskRunKey`, `outputKey` in
 * `context` when known) so a log line or a sweep report says what failed.
 */
import { AidpWatchError, type ErrorContext } from "../errors/aidp-watch-error.js";

export class ExportError extends AidpWatchError {}

/**
 * A key from outside (workspace, task run, output key, prefix) broke a naming
 * rule. Hostile keys are rejected, never silently rewritten: a rewritten key
 * could collide with another run's archive.
 */
export class UnsafeKeyError extends ExportError {
  constructor(
    readonly key: string,
    readonly rule: string,
    options: { context?: ErrorContext } = {},
  ) {
    super(`${key} ${rule}`, { context: { key, rule, ...options.context } });
  }
}

/** A composed object name would exceed Object Storage's 1024-byte limit. */
export class ObjectNameTooLongError extends ExportError {}

/**
 * The caller asked for an output key AIDP doesn't know for this task run
 * (fetchOutput answered 404 while the task run names another `outputKey`).
 * A mistake to fix, not "no output": the message names both keys.
 */
export class UnknownOutputKeyError extends ExportError {
  constructor(
    readonly outputKey: string,
    reason: string,
    options: { cause?: unknown; context?: ErrorContext } = {},
  ) {
    super(reason, options);
  }
}

/** The export function's input (event, plain object, array) is not valid; nothing was written. */
export class ExportInputError extends ExportError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid export input: ${problems.join("; ")}`, { context: { problems: problems.join("; ") } });
  }
}

/**
 * The export stopped before its manifest was written (deadline, transient
 * fault after retries). Nothing claims the export is complete: the next
 * attempt redoes it, reusing parts already written with the right hash.
 */
export class ExportIncompleteError extends ExportError {}

/**
 * Someone else wrote the same object with different content (an object of
 * this export version already exists with another sha256, or a concurrent
 * writer replaced it between our check and our write). Retried by the next
 * attempt; never papered over.
 */
export class ExportConflictError extends ExportError {}

/** An object under the archive layout (manifest, pointer) exists but does not parse. */
export class CorruptArchiveError extends ExportError {}
