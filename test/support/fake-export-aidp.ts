import type { AidpResponse } from "../../shared/aidp/aidp-client.js";
import type { TaskRun } from "../../shared/aidp/workflow-schema.js";
import { type RunOutputDataInput, type TaskRunOutput, TaskRunOutputSchema } from "../../shared/decode/run-output-schema.js";
import type { ExportAidp } from "../../shared/export/export-task-run.js";
import { ServiceError } from "../../shared/http/http-errors.js";

/**
 * An in-memory stand-in for the two AIDP calls an export makes (the port
 * `ExportAidp`), for unit tests of the export core. HTTP behaviour (retry
 * tokens, faults) is tested against the emulator instead.
 */
export interface FakeTaskRun {
  readonly taskRun: Partial<Omit<TaskRun, "state">> & { key: string; state?: { status?: string } };
  /** Output per output key (`""` = the output returned when no key is asked for). */
  readonly outputs: Record<
    string,
    { data: RunOutputDataInput[]; version?: number; key?: string; taskType?: string; isTruncated?: boolean; errorTrace?: string }
  >;
}

function response<T>(data: T): AidpResponse<T> {
  return { data, opcRequestId: "fake", clientRequestId: "fake", etag: undefined, attempts: 1 };
}

function notFound(operation: string): ServiceError {
  return new ServiceError(404, "NotAuthorizedOrNotFound", "not found", { operation, endpoint: "fake" });
}

export class FakeExportAidp implements ExportAidp {
  readonly runs = new Map<string, FakeTaskRun>();
  readonly calls = { getTaskRun: 0, fetchOutput: 0 };

  add(run: FakeTaskRun): this {
    this.runs.set(run.taskRun.key, run);
    return this;
  }

  async getTaskRun(_platformId: string, _workspaceKey: string, taskRunKey: string): Promise<AidpResponse<TaskRun>> {
    this.calls.getTaskRun++;
    const run = this.runs.get(taskRunKey);
    if (!run) throw notFound("aidp.getTaskRun");
    return response({ name: "task", ...run.taskRun } as TaskRun);
  }

  async fetchOutput(
    _platformId: string,
    _workspaceKey: string,
    taskRunKey: string,
    details: { outputKey?: string },
  ): Promise<AidpResponse<TaskRunOutput>> {
    this.calls.fetchOutput++;
    const out = this.runs.get(taskRunKey)?.outputs[details.outputKey ?? ""];
    if (!out) throw notFound("aidp.fetchOutput");
    return response(TaskRunOutputSchema.parse(out));
  }
}
