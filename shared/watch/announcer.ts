/**
 * Sends announcements through the claim protocol (claim-store.ts) within the
 * publish budget: individually while the budget lasts, then one digest for the
 * rest. Shared by `poll` and `track`.
 *
 * Claims come first, the budget second: only claimed announcements count
 * against it, so announcements someone else already made cost no budget. An
 * announcement that cannot go out now (no budget, deadline, failed publish)
 * gives its claim back and stays pending for the next sweep.
 */
import { forEachBounded } from "../concurrency/semaphore.js";
import { describeError } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import type { Announcement, RenderOptions } from "../notify/announcement.js";
import type { Notifier, OutgoingMessage } from "../notify/notifier.js";
import { renderAnnouncement } from "../notify/render-body.js";
import { renderDigest } from "../notify/render-digest.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import type { BudgetStore } from "./budget-store.js";
import { leaseUntilMs } from "./claim-record.js";
import type { ClaimStore } from "./claim-store.js";
import { planPublishes } from "./publish-budget.js";
import { rethrowCrash, type StepHooks, step } from "./step-hooks.js";

export type AnnounceOutcome =
  /** We published it (individually or in a digest). */
  | "published"
  /** Someone else had published it (its claim says so). */
  | "already"
  /** Someone else is publishing it right now (live claim). */
  | "busy"
  /** Publishing (or claiming) failed; pending. */
  | "failed"
  /** No budget or no time left; pending. */
  | "deferred";

export interface AnnounceReport {
  /** One outcome per announcement, in input order. */
  readonly outcomes: AnnounceOutcome[];
  /** Messages sent (a digest counts once). */
  readonly messages: number;
  readonly digests: number;
  readonly failures: number;
}

export interface AnnouncerOptions {
  readonly claims: ClaimStore;
  readonly notifier: Notifier;
  readonly budget: BudgetStore;
  readonly render: RenderOptions;
  readonly perMinute: number;
  readonly clock: Clock;
  /** Parallel claim/publish chains. @default 4 */
  readonly concurrency?: number;
  readonly claimant?: string;
  readonly logger?: Logger;
  readonly hooks?: StepHooks;
}

interface Claimed {
  readonly index: number;
  readonly claim: { name: string; etag: string };
}

export class Announcer {
  private readonly logger: Logger;

  constructor(private readonly options: AnnouncerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async announce(items: readonly Announcement[], deadlines: { work: Deadline; hard: Deadline }): Promise<AnnounceReport> {
    const { claims, budget, clock, hooks } = this.options;
    const outcomes: AnnounceOutcome[] = items.map(() => "deferred");
    const report = { messages: 0, digests: 0, failures: 0 };
    if (items.length === 0) return { outcomes, ...report };
    const concurrency = this.options.concurrency ?? 4;
    const canStart = () => !deadlines.work.expired;

    if ((await budget.available(clock.now(), deadlines.work)) === 0) {
      this.logger.info("publish budget used up for this minute; announcements wait", { pending: items.length });
      return { outcomes, ...report };
    }

    // 1. Claim.
    const claimedList: Claimed[] = [];
    const claimResults = await forEachBounded(
      items,
      concurrency,
      async (a, index) => {
        const now = clock.now();
        const result = await claims.claim(a.platformId, a.operation.key, a.status, {
          nowMs: now,
          leaseUntilMs: leaseUntilMs(now, deadlines.hard.atMs),
          claimant: this.options.claimant,
          deadline: deadlines.hard,
        });
        step(hooks, "claim", `${a.operation.key}/${a.status}`);
        return { index, result };
      },
      canStart,
    );
    for (const r of claimResults) {
      if (!r.started) continue;
      if (!r.ok) {
        rethrowCrash(r.error);
        report.failures++;
        this.logger.warn("could not claim an announcement; it stays pending", { error: r.error });
        continue;
      }
      const { index, result } = r.value;
      if (result.kind === "claimed") claimedList.push({ index, claim: { name: result.name, etag: result.etag } });
      else outcomes[index] = result.kind === "published" ? "already" : "busy";
    }
    for (let i = 0; i < claimResults.length; i++) {
      const r = claimResults[i];
      if (r?.started && !r.ok) outcomes[i] = "failed";
    }
    if (claimedList.length === 0) return { outcomes, ...report };

    // 2. Budget, for what we hold.
    const tokens = await budget.take(claimedList.length, clock.now(), deadlines.work);
    const plan = planPublishes(claimedList.length, tokens);
    const individual = claimedList.slice(0, plan.individual);
    const digestCandidates = claimedList.slice(plan.individual, plan.individual + plan.digest);
    const waiting = claimedList.slice(plan.individual + plan.digest);

    // 3. Individual messages.
    const sent = await forEachBounded(
      individual,
      concurrency,
      async (c) => {
        const a = items[c.index]!;
        const message = renderAnnouncement(a, this.options.render);
        await this.publishClaimed(message, [c], deadlines, `${a.operation.key}/${a.status}`);
      },
      canStart,
    );
    const toRelease: Claimed[] = [...waiting];
    sent.forEach((r, i) => {
      const c = individual[i]!;
      if (!r.started) {
        toRelease.push(c);
      } else if (r.ok) {
        outcomes[c.index] = "published";
        report.messages++;
      } else {
        rethrowCrash(r.error);
        outcomes[c.index] = "failed";
        report.failures++;
        toRelease.push(c);
        this.logger.warn("publishing an announcement failed; it stays pending", { error: describeError(r.error) });
      }
    });

    // 4. One digest for the rest: as many as fit in one message.
    if (digestCandidates.length > 0) {
      const digest = renderDigest(
        digestCandidates.map((c) => items[c.index]!),
        this.options.render,
        { perMinute: this.options.perMinute },
      );
      const listed = digestCandidates.slice(0, digest.included);
      toRelease.push(...digestCandidates.slice(digest.included));
      if (listed.length > 0 && canStart()) {
        try {
          await this.publishClaimed({ title: digest.title, body: digest.body }, listed, deadlines, "digest");
          for (const c of listed) outcomes[c.index] = "published";
          report.messages++;
          report.digests++;
        } catch (err) {
          rethrowCrash(err);
          for (const c of listed) outcomes[c.index] = "failed";
          report.failures++;
          toRelease.push(...listed);
          this.logger.warn("publishing a digest failed; its announcements stay pending", { error: describeError(err) });
        }
      } else {
        toRelease.push(...listed);
      }
    }

    // 5. Give back what is not going out now.
    await forEachBounded(toRelease, concurrency, async (c) => {
      await claims.release(c.claim, deadlines.hard);
      step(hooks, "release", c.claim.name);
    });
    return { outcomes, ...report };
  }

  /** Publish, then record every claim as published. A failed record is logged, not thrown: the message is out. */
  private async publishClaimed(
    message: OutgoingMessage,
    claimed: readonly Claimed[],
    deadlines: { work: Deadline; hard: Deadline },
    label: string,
  ): Promise<void> {
    const { notifier, claims, clock, hooks } = this.options;
    const receipt = await notifier.publish(message, { deadline: deadlines.work });
    step(hooks, "publish", label);
    const publishedAtMs = clock.now();
    const digest = claimed.length > 1 || label === "digest";
    const results = await forEachBounded(claimed, this.options.concurrency ?? 4, async (c) => {
      try {
        await claims.markPublished(c.claim, { messageId: receipt.messageId, publishedAtMs, digest }, deadlines.hard);
      } catch (err) {
        // The message is out. The index records it as announced, so no sweep
        // resends it; only catch-up after a crash could, once the lease ends.
        this.logger.warn("published, but recording the claim failed", { claim: c.claim.name, error: describeError(err) });
      }
      step(hooks, "mark-published", c.claim.name);
    });
    for (const r of results) if (r.started && !r.ok) rethrowCrash(r.error);
  }
}
