import { MemoryNotifier } from "./memory-notifier.js";
import { announcedKeysOf } from "./announced-keys.js";
import type { Notifier } from "../../shared/notify/notifier.js";
import type { ObjectStore } from "../../shared/storage/object-store.js";
import { MemoryObjectStore } from "./memory-object-store.js";
import type { Clock } from "../../shared/time/clock.js";
import { Deadline } from "../../shared/time/deadline.js";
import { ALLOW_ALL, type AnnouncementFilter } from "../../shared/watch/announcement-filter.js";
import { Announcer } from "../../shared/watch/announcer.js";
import { BudgetStore } from "../../shared/watch/budget-store.js";
import { ClaimStore } from "../../shared/watch/claim-store.js";
import { IndexStore } from "../../shared/watch/index-store.js";
import type { OperationSnapshot } from "../../shared/watch/operation.js";
import type { OperationSource } from "../../shared/watch/operation-source.js";
import { RegistrationStore } from "../../shared/watch/registration-store.js";
import { StatePaths } from "../../shared/watch/state-paths.js";
import { runSweep, type SweepSettings, type SweepSummary } from "../../shared/watch/sweep.js";
import type { StepHooks } from "../../shared/watch/step-hooks.js";
import type { TrackTarget } from "../../shared/watch/track-request.js";
import { trackOperations } from "../../shared/watch/track.js";
import { CATCH_UP_SKEW_MS, type WatchRules } from "../../shared/watch/watch-rules.js";
import { FakeClock } from "./fake-clock.js";
import { MemoryOperationSource } from "./memory-operation-source.js";

export const PLATFORM = "ocid1.aidataplatform.oc1.iad.platformone";
export const TOPIC = "ocid1.onstopic.oc1.iad.topicone";

export const TEST_RULES: WatchRules = {
  notFoundLimit: 3,
  maxAgeMs: 72 * 3_600_000,
  stillRunningAfterMs: 120 * 60_000,
  catchUpSkewMs: CATCH_UP_SKEW_MS,
};

let counter = 0;
export function makeOp(overrides: Partial<OperationSnapshot> & { timeStartedMs?: number } = {}): OperationSnapshot {
  counter++;
  const { timeStartedMs, ...rest } = overrides;
  return {
    key: `op-${counter}`,
    resourceType: "TABLE",
    actionType: "CREATE_TABLE",
    resourceName: `sales.q3.t${counter}`,
    status: "IN_PROGRESS",
    createdBy: "ocid1.user.oc1..alice",
    timeStarted: new Date(timeStartedMs ?? Date.UTC(2026, 10, 23, 11, 59)).toISOString(),
    ...rest,
  };
}

/** A world for the watch core: memory AIDP, memory Object Storage, memory ONS, a fake clock. */
export interface WatchWorldOptions {
  clock?: FakeClock;
  source?: OperationSource;
  store?: ObjectStore;
  notifier?: Notifier;
  perMinute?: number;
  rules?: WatchRules;
  filter?: AnnouncementFilter;
  platformIds?: string[];
  resourceTypes?: string[];
  aidpConcurrency?: number;
}

export class WatchWorld {
  readonly clock: FakeClock;
  readonly source: OperationSource;
  readonly memorySource: MemoryOperationSource | undefined;
  readonly store: ObjectStore;
  readonly notifier: Notifier;
  readonly paths = new StatePaths("aidp-watch/");
  readonly settings: SweepSettings;
  readonly perMinute: number;

  constructor(options: WatchWorldOptions = {}) {
    this.clock = options.clock ?? new FakeClock();
    this.memorySource = options.source ? undefined : new MemoryOperationSource();
    this.source = options.source ?? this.memorySource!;
    this.store = options.store ?? new MemoryObjectStore("state");
    this.notifier = options.notifier ?? new MemoryNotifier();
    this.perMinute = options.perMinute ?? 50;
    this.settings = {
      platformIds: options.platformIds ?? [PLATFORM],
      rules: options.rules ?? TEST_RULES,
      filter: options.filter ?? ALLOW_ALL,
      resourceTypes: options.resourceTypes ?? [],
      filterByCallingPrincipal: false,
      aidpConcurrency: options.aidpConcurrency ?? 4,
    };
  }

  get messages() {
    return (this.notifier as MemoryNotifier).messages;
  }

  deadlines(ms = 60_000, clock: Clock = this.clock) {
    const hard = Deadline.in(ms, clock);
    return { work: hard.minus(5_000), hard };
  }

  announcer(hooks?: StepHooks) {
    const claims = new ClaimStore(this.store, this.paths);
    const budget = new BudgetStore(this.store, this.paths, TOPIC, this.perMinute);
    return new Announcer({
      claims,
      notifier: this.notifier,
      budget,
      render: { format: "text" },
      perMinute: this.perMinute,
      clock: this.clock,
      hooks,
      concurrency: 4,
    });
  }

  sweep(options: { hooks?: StepHooks; deadlineMs?: number } = {}): Promise<SweepSummary> {
    return runSweep(
      {
        source: this.source,
        indexStore: new IndexStore(this.store, this.paths),
        registrations: new RegistrationStore(this.store, this.paths),
        announcer: this.announcer(options.hooks),
        clock: this.clock,
        hooks: options.hooks,
      },
      this.settings,
      this.deadlines(options.deadlineMs),
    );
  }

  track(targets: TrackTarget[], hooks?: StepHooks) {
    return trackOperations(
      targets,
      {
        source: this.source,
        registrations: new RegistrationStore(this.store, this.paths),
        announcer: this.announcer(hooks),
        filter: this.settings.filter,
        clock: this.clock,
        aidpConcurrency: 4,
        hooks,
      },
      this.deadlines(),
    );
  }

  /** `platform/key/status` of every announcement sent, digests expanded, in order. */
  announcedKeys(): string[] {
    return announcedKeysOf(this.messages.map((m) => m.body));
  }
}
