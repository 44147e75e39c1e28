/**
 * Exports a list of task runs one after the other (memory stays that of one
 * export). Each is independent: a failure doesn't stop the others. If any
 * failed, `ExportBatchError` lists them after the rest were done, so the
 * invocation fails (a direct caller gets the error; a detached call's failure
 * goes to the failure destination and the invoke log); the successful ones stay archived and a retry of
 * the whole batch re-does only what is missing (exports are idempotent).
 */
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import { ExportError } from "../../shared/export/export-errors.js";
import { type ExportDeps, type ExportOutcome, type ExportRequest, exportTaskRun } from "../../shared/export/export-task-run.js";
import type { ExportSettings } from "../../shared/export/export-settings.js";
import type { Logger } from "../../shared/log/logger.js";
import type { Clock } from "../../shared/time/clock.js";
import type { Deadline } from "../../shared/time/deadline.js";

export class ExportBatchError extends ExportError {
  constructor(
    readonly failures: ReadonlyArray<{ taskRunKey: string; error: string }>,
    readonly outcomes: readonly ExportOutcome[],
  ) {
    super(
      `${failures.length} of ${failures.length + outcomes.length} export(s) failed: ${failures.map((f) => `${f.taskRunKey}: ${f.error}`).join("; ")}`,
      {
        context: { failed: failures.length, succeeded: outcomes.length },
      },
    );
  }
}

export async function exportBatch(
  deps: ExportDeps & { logger: Logger; clock: Clock },
  settings: ExportSettings,
  requests: readonly ExportRequest[],
  deadline: Deadline,
): Promise<ExportOutcome[]> {
  const outcomes: ExportOutcome[] = [];
  const failures: Array<{ taskRunKey: string; error: string }> = [];
  for (const req of requests) {
    if (deadline.expired) {
      failures.push({ taskRunKey: req.taskRunKey, error: "not started: deadline reached" });
      continue;
    }
    try {
      outcomes.push(await exportTaskRun(deps, settings, req, { deadline }));
    } catch (err) {
      deps.logger.warn("export failed", {
        platformId: req.platformId,
        workspaceKey: req.workspaceKey,
        taskRunKey: req.taskRunKey,
        error: err,
      });
      failures.push({ taskRunKey: req.taskRunKey, error: describeError(err) });
    }
  }
  if (failures.length > 0) throw new ExportBatchError(failures, outcomes);
  return outcomes;
}
