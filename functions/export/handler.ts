/**
 * The `export` function: archives task-run outputs to the output bucket.
 * Input: `{ aiDataPlatformId, workspaceKey, taskRunKey, outputKey? }`, an
 * array of them, or an OCI Events envelope with those keys in
 * `data.additionalDetails` (see export-input.ts). Invalid input fails with
 * every problem listed, before any call or write. Answers
 * `{ exports: ExportOutcome[] }` (manifest object names, status, writes).
 */
import type { ExportAidp } from "../../shared/export/export-task-run.js";
import { exportSettings } from "../../shared/export/export-settings.js";
import type { ObjectStore } from "../../shared/storage/object-store.js";
import type { FunctionHandler, Invocation } from "../invocation.js";
import { defaultServices } from "../default-services.js";
import { parseExportInput } from "./export-input.js";

export interface ExportHandlerDeps {
  readonly aidp: ExportAidp;
  /** The output bucket (`AIDP_WATCH_OUTPUT_BUCKET`). */
  readonly outputStore: ObjectStore;
}

export function createExportHandler(
  resolveDeps: (invocation: Invocation) => ExportHandlerDeps | Promise<ExportHandlerDeps>,
): FunctionHandler {
  return async (input, invocation) => {
    const requests = parseExportInput(input);
    // Loaded after the input checked: an invalid request is answered without compiling the export path and the
    // decoders (cold start: bench/cold-start.ts, "invalid answer").
    const { exportBatch } = await import("./export-batch.js");
    const deps = await resolveDeps(invocation);
    const outcomes = await exportBatch(
      { aidp: deps.aidp, store: deps.outputStore, logger: invocation.logger, clock: invocation.clock },
      exportSettings(invocation.config),
      requests,
      invocation.workDeadline,
    );
    return { exports: outcomes };
  };
}

/** `export` with the container's services (the output bucket is required). */
export const exportHandler: FunctionHandler = createExportHandler(async (invocation) => {
  const services = await defaultServices(invocation);
  if (!services.outputStore) throw new Error("AIDP_WATCH_OUTPUT_BUCKET is not set");
  return { aidp: services.aidp, outputStore: services.outputStore };
});
