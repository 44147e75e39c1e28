import { randomUUID } from "node:crypto";
import type { Clock } from "../../../shared/time/clock.js";
import { notFound, ServiceError } from "../../http/service-error.js";
import { type AsyncOperationRecord, newOperation, operationAt, type StoredOperation } from "./async-operation-model.js";
import { buildJobRun, type StoredJobRun, type StoredTaskRun } from "./job-run-model.js";
import { type JobRunSeed, JobRunSeedSchema, type OperationSeed, OperationSeedSchema } from "./seeds.js";

interface Workspace {
  readonly jobRuns: Map<string, StoredJobRun>;
  readonly taskRuns: Map<string, StoredTaskRun>;
}

interface Platform {
  readonly operations: Map<string, StoredOperation>;
  readonly workspaces: Map<string, Workspace>;
  /** What the control plane (API 20240831) lists. */
  info: PlatformInfo;
}

export const DEFAULT_COMPARTMENT_ID = "ocid1.compartment.oc1..aidpwatchemulator";

export interface PlatformInfo {
  readonly compartmentId: string;
  readonly displayName: string;
  /** Open: CREATING, UPDATING, ACTIVE, DELETING, DELETED, FAILED or anything else a test sets. */
  readonly lifecycleState: string;
  readonly freeformTags: Readonly<Record<string, string>>;
  readonly aiDataPlatformType: string;
  readonly timeCreated: number;
  readonly timeUpdated: number;
}

/**
 * In-memory state of the emulated AIDP data plane: platforms → async
 * operations and workspaces → job runs / task runs. Lookups that the API
 * would answer with 404 throw `ServiceError` 404 NotAuthorizedOrNotFound,
 * so route and admin handlers can call them directly. Records that are
 * "not started yet" (start in the future) are hidden like missing ones.
 */
export class AidpStore {
  private readonly platforms = new Map<string, Platform>();

  constructor(readonly clock: Clock) {}

  /** Idempotent for the data plane; `info` fields given replace the platform's (control plane). */
  addPlatform(platformId: string, info: Partial<PlatformInfo> = {}): void {
    const existing = this.platforms.get(platformId);
    if (existing) {
      existing.info = { ...existing.info, ...info };
      return;
    }
    const now = this.clock.now();
    this.platforms.set(platformId, {
      operations: new Map(),
      workspaces: new Map(),
      info: {
        compartmentId: DEFAULT_COMPARTMENT_ID,
        displayName: platformId.split(".").at(-1) ?? platformId,
        lifecycleState: "ACTIVE",
        freeformTags: {},
        aiDataPlatformType: "STANDARD",
        timeCreated: now,
        timeUpdated: now,
        ...info,
      },
    });
  }

  /** Control-plane view of every platform, in insertion order. */
  platformInfos(): Array<{ id: string } & PlatformInfo> {
    return [...this.platforms].map(([id, p]) => ({ id, ...p.info }));
  }

  /** Changes what the control plane reports (lifecycle state, tags…); 404 for an unknown platform. */
  updatePlatform(platformId: string, change: Partial<PlatformInfo>): void {
    const p = this.platform(platformId);
    p.info = { ...p.info, ...change, timeUpdated: this.clock.now() };
  }

  hasPlatform(platformId: string): boolean {
    return this.platforms.has(platformId);
  }

  platform(platformId: string): Platform {
    const p = this.platforms.get(platformId);
    if (!p) throw notFound("NotAuthorizedOrNotFound", `AI Data Platform ${platformId} not found or not authorized`);
    return p;
  }

  // ---- async operations --------------------------------------------------

  addOperation(platformId: string, seed: OperationSeed): { key: string } {
    const parsed = OperationSeedSchema.parse(seed);
    const p = this.platform(platformId);
    const key = parsed.key ?? randomUUID();
    if (p.operations.has(key)) throw new ServiceError(409, "Conflict", `Async operation ${key} already exists`);
    p.operations.set(key, newOperation(parsed, key, this.clock.now()));
    return { key };
  }

  /** The stored operation; 404 when unknown or not started yet (unless `includeFuture`). */
  storedOperation(platformId: string, key: string, includeFuture = false): StoredOperation {
    const op = this.platform(platformId).operations.get(key);
    if (!op || (!includeFuture && op.timeStarted > this.clock.now())) {
      throw notFound("NotAuthorizedOrNotFound", `Async operation ${key} not found or not authorized`);
    }
    return op;
  }

  setOperationStatus(platformId: string, key: string, status: string, extra: { errorCode?: string; errorMessage?: string } = {}): void {
    const op = this.storedOperation(platformId, key, true);
    op.forced = { status, at: Math.max(this.clock.now(), op.timeStarted), errorCode: extra.errorCode, errorMessage: extra.errorMessage };
  }

  removeOperation(platformId: string, key: string): void {
    this.storedOperation(platformId, key, true);
    this.platform(platformId).operations.delete(key);
  }

  getOperation(platformId: string, key: string): AsyncOperationRecord | undefined {
    const op = this.platforms.get(platformId)?.operations.get(key);
    return op ? operationAt(platformId, op, this.clock.now()) : undefined;
  }

  /** Every operation of the platform as it reads now, including ones not started yet (`visible: false`). */
  allOperations(platformId: string): AsyncOperationRecord[] {
    const now = this.clock.now();
    return [...this.platform(platformId).operations.values()].map((op) => operationAt(platformId, op, now));
  }

  // ---- workspaces, job runs, task runs ----------------------------------

  addWorkspace(platformId: string, workspaceKey: string): void {
    const p = this.platform(platformId);
    if (!p.workspaces.has(workspaceKey)) p.workspaces.set(workspaceKey, { jobRuns: new Map(), taskRuns: new Map() });
  }

  workspace(platformId: string, workspaceKey: string): Workspace {
    const w = this.platform(platformId).workspaces.get(workspaceKey);
    if (!w) throw notFound("NotAuthorizedOrNotFound", `Workspace ${workspaceKey} not found or not authorized`);
    return w;
  }

  addJobRun(platformId: string, workspaceKey: string, seed: JobRunSeed): { key: string; taskRunKeys: string[] } {
    const parsed = JobRunSeedSchema.parse(seed);
    this.addWorkspace(platformId, workspaceKey);
    const w = this.workspace(platformId, workspaceKey);
    const { jobRun, taskRuns } = buildJobRun(parsed, workspaceKey, this.clock.now());
    if (w.jobRuns.has(jobRun.key)) throw new ServiceError(409, "Conflict", `Job run ${jobRun.key} already exists`);
    const clash = taskRuns.find((t) => w.taskRuns.has(t.key));
    if (clash) throw new ServiceError(409, "Conflict", `Task run ${clash.key} already exists`);
    if (new Set(taskRuns.map((t) => t.name)).size !== taskRuns.length) {
      throw new ServiceError(400, "InvalidParameter", "Task names within one job run must be unique");
    }
    w.jobRuns.set(jobRun.key, jobRun);
    for (const t of taskRuns) w.taskRuns.set(t.key, t);
    return { key: jobRun.key, taskRunKeys: [...jobRun.taskRunKeys] };
  }

  /** Job runs created by now. */
  jobRuns(platformId: string, workspaceKey: string): StoredJobRun[] {
    const now = this.clock.now();
    return [...this.workspace(platformId, workspaceKey).jobRuns.values()].filter((j) => j.timeCreated <= now);
  }

  jobRun(platformId: string, workspaceKey: string, jobRunKey: string): StoredJobRun {
    const j = this.workspace(platformId, workspaceKey).jobRuns.get(jobRunKey);
    if (!j || j.timeCreated > this.clock.now())
      throw notFound("NotAuthorizedOrNotFound", `Job run ${jobRunKey} not found or not authorized`);
    return j;
  }

  /** Task runs created by now. */
  taskRuns(platformId: string, workspaceKey: string): StoredTaskRun[] {
    const now = this.clock.now();
    return [...this.workspace(platformId, workspaceKey).taskRuns.values()].filter((t) => t.timeCreated <= now);
  }

  taskRunsOf(platformId: string, workspaceKey: string, jobRun: StoredJobRun): StoredTaskRun[] {
    const w = this.workspace(platformId, workspaceKey);
    return jobRun.taskRunKeys.map((k) => w.taskRuns.get(k)).filter((t): t is StoredTaskRun => t !== undefined);
  }

  taskRun(platformId: string, workspaceKey: string, taskRunKey: string): StoredTaskRun {
    const t = this.workspace(platformId, workspaceKey).taskRuns.get(taskRunKey);
    if (!t || t.timeCreated > this.clock.now())
      throw notFound("NotAuthorizedOrNotFound", `Task run ${taskRunKey} not found or not authorized`);
    return t;
  }
}
