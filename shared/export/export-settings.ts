/**
 * What an export needs from the configuration, as plain values (so the core
 * and its tests don't depend on the whole `Config`).
 */
import type { Config } from "../config/config-schema.js";
import type { DecodeLimits } from "../decode/limits.js";

export interface ExportSettings {
  /** `AIDP_WATCH_OUTPUT_PREFIX`. */
  readonly prefix: string;
  /** `AIDP_WATCH_MAX_DECODED_BYTES`, `AIDP_WATCH_MAX_EXPANSION_RATIO`. */
  readonly limits: Partial<DecodeLimits>;
  /**
   * Parts whose decoded size stays within this are decoded once and written
   * from memory; larger ones are decoded twice (hash first, then streamed to a
   * multipart upload), so memory stays bounded by this plus the upload's
   * buffers whatever the part's size. @default 8 MiB
   */
  readonly bufferPartBytes?: number;
  /**
   * `AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES` in ms: how long after a task
   * run's end a 404 from fetchOutput is asked again rather than read as "no
   * output" (output-not-found.ts). @default 60 min
   */
  readonly outputNotFoundGraceMs?: number;
}

export const DEFAULT_BUFFER_PART_BYTES = 8 * 1024 * 1024;

export function exportSettings(config: Config): ExportSettings {
  return {
    prefix: config.AIDP_WATCH_OUTPUT_PREFIX,
    limits: { maxDecodedBytes: config.AIDP_WATCH_MAX_DECODED_BYTES, maxExpansionRatio: config.AIDP_WATCH_MAX_EXPANSION_RATIO },
    outputNotFoundGraceMs: config.AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES * 60_000,
  };
}
