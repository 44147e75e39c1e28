import { EMULATOR_USER } from "../../credentials.js";
import type { OperationSeed } from "./seeds.js";

/** The documented AsyncOperationStatus values; anything else is served as given (open enum). */
export const IN_PROGRESS = "IN_PROGRESS";
export const CANCELED = "CANCELED";

/**
 * One emulated async operation. Its status is never stored as "current":
 * it is computed from the clock on every read (`operationAt`), so a fake
 * clock moves it through its states without timers.
 */
export interface StoredOperation {
  readonly key: string;
  readonly resourceType: string;
  readonly actionType: string;
  readonly resourceName: string;
  readonly resourceDisplayName: string | undefined;
  readonly createdBy: string;
  readonly createdByName: string | undefined;
  readonly timeStarted: number;
  readonly durationMs: number | undefined;
  readonly finalStatus: string;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  readonly statusDetails: string | undefined;
  /** Set by `setOperationStatus` or a cancel: wins over the scheduled outcome from `at` on. */
  forced: { status: string; at: number; errorCode: string | undefined; errorMessage: string | undefined } | undefined;
}

/** An operation as it reads at one instant (times in epoch ms). */
export interface AsyncOperationRecord {
  readonly platformId: string;
  readonly key: string;
  readonly resourceType: string;
  readonly actionType: string;
  readonly resourceName: string;
  readonly resourceDisplayName: string | undefined;
  readonly createdBy: string;
  readonly createdByName: string | undefined;
  readonly timeStarted: number;
  readonly timeFinished: number | undefined;
  readonly status: string;
  readonly statusDetails: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  /** False while `timeStarted` lies in the future: the API doesn't show it yet. */
  readonly visible: boolean;
}

export function newOperation(seed: OperationSeed, key: string, now: number): StoredOperation {
  return {
    key,
    resourceType: seed.resourceType,
    actionType: seed.actionType,
    resourceName: seed.resourceName,
    resourceDisplayName: seed.resourceDisplayName,
    createdBy: seed.createdBy ?? EMULATOR_USER,
    createdByName: seed.createdByName,
    timeStarted: seed.timeStarted ?? now,
    durationMs: seed.durationMs,
    finalStatus: seed.finalStatus ?? "SUCCEEDED",
    errorCode: seed.errorCode,
    errorMessage: seed.errorMessage,
    statusDetails: seed.statusDetails,
    forced: undefined,
  };
}

export function operationAt(platformId: string, op: StoredOperation, now: number): AsyncOperationRecord {
  const base = {
    platformId,
    key: op.key,
    resourceType: op.resourceType,
    actionType: op.actionType,
    resourceName: op.resourceName,
    resourceDisplayName: op.resourceDisplayName,
    createdBy: op.createdBy,
    createdByName: op.createdByName,
    timeStarted: op.timeStarted,
    statusDetails: op.statusDetails,
    visible: now >= op.timeStarted,
  };
  const finishAt = op.durationMs === undefined ? undefined : op.timeStarted + op.durationMs;
  // A forced status (set or canceled) applies from the moment it was set on.
  if (op.forced && now >= op.forced.at) {
    const f = op.forced;
    const running = f.status === IN_PROGRESS;
    return { ...base, status: f.status, timeFinished: running ? undefined : f.at, errorCode: f.errorCode, errorMessage: f.errorMessage };
  }
  if (finishAt === undefined || now < finishAt) {
    return { ...base, status: IN_PROGRESS, timeFinished: undefined, errorCode: undefined, errorMessage: undefined };
  }
  return { ...base, status: op.finalStatus, timeFinished: finishAt, errorCode: op.errorCode, errorMessage: op.errorMessage };
}
