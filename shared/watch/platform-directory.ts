/**
 * The AI Data Platforms of `AIDP_WATCH_COMPARTMENT_IDS`, listed through the
 * control plane and cached per container for `ttlMs` (default 5 minutes), so
 * a poll every minute lists them about once every five sweeps, and a platform
 * created (or tagged, or deleted) is seen within 5 minutes plus a poll
 * interval. Concurrent callers share one listing. A failed refresh keeps
 * serving the last good list (marked stale, with the error) rather than
 * dropping every discovered platform for a sweep; with nothing cached, the
 * error is reported and only the explicit platforms are swept. A listing is
 * used only when every compartment's every page was read.
 */
import { describeError } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { type ListedPlatform, WATCHED_LIFECYCLE_STATE } from "./platform-selection.js";

export const PLATFORM_LIST_TTL_MS = 5 * 60_000;

export type ListPlatforms = (compartmentId: string, options: { deadline: Deadline; lifecycleState?: string }) => Promise<ListedPlatform[]>;

export interface DirectoryListing {
  readonly platforms: readonly ListedPlatform[];
  /** When the list was read (ms since epoch); undefined when none could be. */
  readonly listedAtMs: number | undefined;
  readonly fromCache: boolean;
  /** Set when this refresh failed: `platforms` are then the last good list (or none). */
  readonly error?: string;
}

export interface PlatformDirectoryOptions {
  readonly compartmentIds: readonly string[];
  readonly list: ListPlatforms;
  readonly clock: Clock;
  /** @default PLATFORM_LIST_TTL_MS */
  readonly ttlMs?: number;
  readonly logger?: Logger;
}

export class PlatformDirectory {
  private cached: { platforms: ListedPlatform[]; atMs: number } | undefined;
  private inFlight: Promise<DirectoryListing> | undefined;

  constructor(private readonly options: PlatformDirectoryOptions) {}

  get compartmentIds(): readonly string[] {
    return this.options.compartmentIds;
  }

  async platforms(deadline: Deadline): Promise<DirectoryListing> {
    const now = this.options.clock.now();
    const ttl = this.options.ttlMs ?? PLATFORM_LIST_TTL_MS;
    if (this.cached && now - this.cached.atMs < ttl)
      return { platforms: this.cached.platforms, listedAtMs: this.cached.atMs, fromCache: true };
    this.inFlight ??= this.refresh(deadline).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(deadline: Deadline): Promise<DirectoryListing> {
    const started = this.options.clock.now();
    try {
      // ACTIVE on the server keeps pages few; platform-selection checks the state again.
      const lists = await Promise.all(
        this.options.compartmentIds.map((c) => this.options.list(c, { deadline, lifecycleState: WATCHED_LIFECYCLE_STATE })),
      );
      this.cached = { platforms: lists.flat(), atMs: started };
      return { platforms: this.cached.platforms, listedAtMs: started, fromCache: false };
    } catch (err) {
      const error = describeError(err);
      (this.options.logger ?? silentLogger).warn("listing AI Data Platforms failed; using the last good list", {
        error: err,
        cachedAtMs: this.cached?.atMs,
      });
      return { platforms: this.cached?.platforms ?? [], listedAtMs: this.cached?.atMs, fromCache: this.cached !== undefined, error };
    }
  }
}
