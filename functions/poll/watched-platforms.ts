/**
 * The platforms this sweep takes: `AIDP_WATCH_PLATFORM_IDS` plus what the
 * platform directory finds in `AIDP_WATCH_COMPARTMENT_IDS` (ACTIVE, not
 * tagged `aidp-watch=off`), then only those of this call's shard. A platform
 * seen for the first time has no index yet, so its first sweep only starts
 * tracking what is in progress: nothing from its history is announced.
 */
import { type Shard, formatShard, inShard } from "../../shared/watch/shard.js";
import type { PlatformDirectory } from "../../shared/watch/platform-directory.js";
import { selectPlatforms, type SkippedPlatform } from "../../shared/watch/platform-selection.js";
import type { Invocation } from "../invocation.js";

export interface PlatformsReport {
  /** `i/n` when the call swept one shard. */
  readonly shard?: string;
  /** Platforms of this call (after the shard filter). */
  readonly platforms: number;
  /** Platforms of every shard. */
  readonly total: number;
  readonly discovery?: {
    readonly compartments: number;
    readonly listed: number;
    readonly skipped: SkippedPlatform[];
    readonly cached: boolean;
    readonly listedAt?: string;
    readonly error?: string;
  };
}

export async function watchedPlatforms(
  directory: PlatformDirectory | undefined,
  invocation: Invocation,
  shard: Shard | undefined,
): Promise<{ ids: string[]; report: PlatformsReport; discoveryFailed: boolean }> {
  const explicit = invocation.config.AIDP_WATCH_PLATFORM_IDS;
  const listing = directory ? await directory.platforms(invocation.workDeadline) : undefined;
  const selection = selectPlatforms(explicit, listing?.platforms ?? []);
  const ids = selection.ids.filter((id) => inShard(id, shard));
  const report: PlatformsReport = {
    ...(shard ? { shard: formatShard(shard) } : {}),
    platforms: ids.length,
    total: selection.ids.length,
    ...(directory && listing
      ? {
          discovery: {
            compartments: directory.compartmentIds.length,
            listed: listing.platforms.length,
            skipped: selection.skipped.filter((s) => inShard(s.id, shard)),
            cached: listing.fromCache,
            ...(listing.listedAtMs !== undefined ? { listedAt: new Date(listing.listedAtMs).toISOString() } : {}),
            ...(listing.error ? { error: listing.error } : {}),
          },
        }
      : {}),
  };
  return { ids, report, discoveryFailed: listing?.error !== undefined };
}
