/**
 * The numbers the sweep decides with, derived once from configuration so the
 * decision functions take plain values (and unit tests can pass their own).
 */
import type { Config } from "../config/config-schema.js";

export interface WatchRules {
  /** Consecutive 404s before an operation is announced LOST and dropped. */
  readonly notFoundLimit: number;
  /** Operations running longer than this are announced GAVE_UP and dropped. */
  readonly maxAgeMs: number;
  /** One STILL_RUNNING warning after this long; 0 disables. */
  readonly stillRunningAfterMs: number;
  /**
   * Margin subtracted from a listing's start time to make the next watermark:
   * covers clock skew between AIDP's `timeStarted` and ours, and operations
   * that appear in listings a little after they started. 5 minutes.
   */
  readonly catchUpSkewMs: number;
}

export const CATCH_UP_SKEW_MS = 5 * 60_000;

export function watchRulesFromConfig(config: Config): WatchRules {
  return {
    notFoundLimit: config.AIDP_WATCH_NOT_FOUND_LIMIT,
    maxAgeMs: config.AIDP_WATCH_MAX_OPERATION_AGE_HOURS * 3_600_000,
    stillRunningAfterMs: config.AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES * 60_000,
    catchUpSkewMs: CATCH_UP_SKEW_MS,
  };
}
