/**
 * Announces a job run's terminal state once, through the same claim protocol
 * as operations (claim → publish → markPublished; failed publish → release),
 * keyed `announcements/<platformId>/jobrun%3A<jobRunKey>/<status>.json`: same
 * dedupe authority, same duplicate window.
 *
 * Job-run announcements bypass the per-topic publish budget: there is one per
 * finished job run in the watched workspaces, far below ONS's rate.
 *
 * Outcomes: "published" (by us) and "already" (its claim says published) mean
 * the job run may be marked done; "busy" (someone else holds a live claim) and
 * "failed" (claim or publish failed; claim given back) mean: try next sweep.
 */
import { describeError } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import type { RenderOptions } from "../notify/announcement.js";
import type { Notifier } from "../notify/notifier.js";
import { type JobRunNotice, jobRunClaimKey, renderJobRun } from "../notify/render-job-run.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { leaseUntilMs } from "./claim-record.js";
import type { ClaimStore } from "./claim-store.js";

export type JobRunAnnounceOutcome = "published" | "already" | "busy" | "failed";

export interface JobRunAnnouncerOptions {
  readonly claims: ClaimStore;
  readonly notifier: Notifier;
  readonly render: Pick<RenderOptions, "format" | "displayTimeZone">;
  readonly clock: Clock;
  readonly claimant?: string | undefined;
  readonly logger?: Logger;
}

export class JobRunAnnouncer {
  private readonly logger: Logger;

  constructor(private readonly options: JobRunAnnouncerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async announce(notice: JobRunNotice, deadlines: { work: Deadline; hard: Deadline }): Promise<JobRunAnnounceOutcome> {
    const { claims, notifier, clock } = this.options;
    const key = jobRunClaimKey(notice.jobRunKey);
    let claimed: { name: string; etag: string };
    try {
      const now = clock.now();
      const result = await claims.claim(notice.platformId, key, notice.status, {
        nowMs: now,
        leaseUntilMs: leaseUntilMs(now, deadlines.hard.atMs),
        ...(this.options.claimant ? { claimant: this.options.claimant } : {}),
        deadline: deadlines.hard,
      });
      if (result.kind === "published") return "already";
      if (result.kind === "busy") return "busy";
      claimed = { name: result.name, etag: result.etag };
    } catch (err) {
      this.logger.warn("could not claim a job-run announcement; retried next sweep", {
        jobRunKey: notice.jobRunKey,
        error: describeError(err),
      });
      return "failed";
    }
    if (deadlines.work.expired) {
      await claims.release(claimed, deadlines.hard);
      return "failed";
    }
    let messageId: string;
    try {
      messageId = (await notifier.publish(renderJobRun(notice, this.options.render), { deadline: deadlines.work })).messageId;
    } catch (err) {
      this.logger.warn("publishing a job-run announcement failed; retried next sweep", {
        jobRunKey: notice.jobRunKey,
        error: describeError(err),
      });
      await claims.release(claimed, deadlines.hard);
      return "failed";
    }
    try {
      await claims.markPublished(claimed, { messageId, publishedAtMs: clock.now() }, deadlines.hard);
    } catch (err) {
      // The message is out; the job run is marked done, so no sweep resends it.
      this.logger.warn("published, but recording the job-run claim failed", { claim: claimed.name, error: describeError(err) });
    }
    return "published";
  }
}
