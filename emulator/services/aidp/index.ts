import type { EmulatorContext, EmulatorService } from "../../server.js";
import { aidpAdminRoutes } from "./admin-routes.js";
import { AidpStore, type PlatformInfo } from "./aidp-store.js";
import type { AsyncOperationRecord } from "./async-operation-model.js";
import { asyncOperationRoutes } from "./async-operation-routes.js";
import { jobRunRoutes } from "./job-run-routes.js";
import { platformRoutes } from "./platform-routes.js";
import { RetryTokenLog } from "./retry-token-log.js";
import type { JobRunSeed, OperationSeed } from "./seeds.js";
import { taskRunRoutes } from "./task-run-routes.js";

export { DEFAULT_COMPARTMENT_ID, type PlatformInfo } from "./aidp-store.js";
export type { AsyncOperationRecord } from "./async-operation-model.js";
export { DEMO_WORKSPACE, seedDemoPlatform } from "./demo-seed.js";
export { type SampleExpectation, type SampleOutput, sampleOutputs, sampleOutputsWithExpectations } from "./sample-outputs.js";
export type { JobRunSeed, OperationSeed, RunOutputData, TaskRunOutputSeed, TaskSeed } from "./seeds.js";

/**
 * The AIDP data plane (API 20260430) of the local emulator: async
 * operations, job runs, task runs and their outputs; and of the control plane
 * (API 20240831), the platforms' list (platform-routes.ts). Every state is computed
 * from `ctx.clock` on each read, so a fake clock drives it (no timers).
 * Signature checks, fault injection (by the route names below) and request
 * statistics are done by the emulator core.
 *
 * Routes: aidp.getAsyncOperation, aidp.listAsyncOperations,
 * aidp.cancelAsyncOperation, aidp.getTaskRun, aidp.listTaskRuns,
 * aidp.fetchOutput, aidp.exportOutput, aidp.listJobRuns, aidp.getJobRun,
 * aidp.listAiDataPlatforms.
 * Admin (unauthenticated, `/_emulator/aidp/…`): see admin-routes.ts.
 */
export interface AidpServiceOptions {
  /** Platforms that exist from the start. @default [] */
  platforms?: string[];
}

export interface AidpEmulator extends EmulatorService {
  /**
   * Idempotent. Requests for unknown platforms answer 404 NotAuthorizedOrNotFound.
   * `info`: what the control plane lists (default: compartment DEFAULT_COMPARTMENT_ID, ACTIVE, no tags).
   */
  addPlatform(platformId: string, info?: Partial<PlatformInfo>): void;
  /** Changes what the control plane lists for a platform (lifecycle state, tags, compartment…). */
  updatePlatform(platformId: string, change: Partial<PlatformInfo>): void;
  /** Throws ServiceError 404 for an unknown platform, 409 for a duplicate key. */
  addOperation(platformId: string, seed: OperationSeed): { key: string };
  /** Forces a status from now on (`IN_PROGRESS` = running until set again); terminal ones get `timeFinished` = now. */
  setOperationStatus(platformId: string, key: string, status: string, extra?: { errorCode?: string; errorMessage?: string }): void;
  /** Later GETs answer 404. */
  removeOperation(platformId: string, key: string): void;
  /** The operation as it reads now (also when not visible yet); undefined when unknown. */
  getOperation(platformId: string, key: string): AsyncOperationRecord | undefined;
  /** Creates the workspace when needed. */
  addJobRun(platformId: string, workspaceKey: string, seed: JobRunSeed): { key: string; taskRunKeys: string[] };
  /** Makes an (empty) workspace exist, so its lists answer 200 instead of 404. */
  addWorkspace(platformId: string, workspaceKey: string): void;
  /**
   * `opc-retry-token` values received (in order, repeats kept, faulted attempts
   * included) on the POST actions, for one route name (e.g. `aidp.fetchOutput`)
   * or all of them. Requests without the header are not listed.
   */
  retryTokensSeen(route?: string): string[];
  clearRetryTokens(): void;
}

export function aidpService(options: AidpServiceOptions = {}): (ctx: EmulatorContext) => AidpEmulator {
  return (ctx) => {
    const store = new AidpStore(ctx.clock);
    const retryTokens = new RetryTokenLog();
    for (const p of options.platforms ?? []) store.addPlatform(p);
    return {
      name: "aidp",
      routes: () => [
        ...asyncOperationRoutes(store, retryTokens),
        ...taskRunRoutes(store, retryTokens),
        ...jobRunRoutes(store),
        ...platformRoutes(store),
      ],
      adminRoutes: () => aidpAdminRoutes(store, retryTokens),
      addPlatform: (platformId, info) => store.addPlatform(platformId, info),
      updatePlatform: (platformId, change) => store.updatePlatform(platformId, change),
      addOperation: (platformId, seed) => store.addOperation(platformId, seed),
      setOperationStatus: (platformId, key, status, extra) => store.setOperationStatus(platformId, key, status, extra),
      removeOperation: (platformId, key) => store.removeOperation(platformId, key),
      getOperation: (platformId, key) => store.getOperation(platformId, key),
      addJobRun: (platformId, workspaceKey, seed) => store.addJobRun(platformId, workspaceKey, seed),
      addWorkspace: (platformId, workspaceKey) => store.addWorkspace(platformId, workspaceKey),
      retryTokensSeen: (route) => retryTokens.tokens(route),
      clearRetryTokens: () => retryTokens.clear(),
    };
  };
}
