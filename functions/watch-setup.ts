/**
 * Wires the watch core for one invocation: state stores over the state
 * bucket, an announcer with this invocation's budget view, and the settings
 * from configuration. Shared by `poll`, `track` and the CLI.
 */
import type { Config } from "../shared/config/config-schema.js";
import { ConfigError } from "../shared/config/load-config.js";
import type { RenderOptions } from "../shared/notify/announcement.js";
import { announcementFilterFromConfig } from "../shared/watch/announcement-filter.js";
import { Announcer } from "../shared/watch/announcer.js";
import { BudgetStore } from "../shared/watch/budget-store.js";
import { ClaimStore } from "../shared/watch/claim-store.js";
import { IndexStore } from "../shared/watch/index-store.js";
import { RegistrationStore } from "../shared/watch/registration-store.js";
import { StatePaths } from "../shared/watch/state-paths.js";
import type { SweepDeps, SweepSettings } from "../shared/watch/sweep.js";
import type { StepHooks } from "../shared/watch/step-hooks.js";
import type { TrackDeps } from "../shared/watch/track.js";
import { watchRulesFromConfig } from "../shared/watch/watch-rules.js";
import type { Invocation } from "./invocation.js";
import type { Services } from "./services.js";

/** Parallel claim → publish → record chains per invocation. */
export const ANNOUNCE_CONCURRENCY = 8;

export function renderOptions(config: Config, region: string | undefined): RenderOptions {
  return {
    format: config.AIDP_WATCH_MESSAGE_FORMAT,
    displayTimeZone: config.AIDP_WATCH_DISPLAY_TIME_ZONE,
    consoleUrlTemplate: config.AIDP_WATCH_CONSOLE_URL_TEMPLATE,
    region,
  };
}

export function sweepSettings(config: Config): SweepSettings {
  return {
    platformIds: config.AIDP_WATCH_PLATFORM_IDS,
    rules: watchRulesFromConfig(config),
    filter: announcementFilterFromConfig(config),
    resourceTypes: config.AIDP_WATCH_RESOURCE_TYPES,
    filterByCallingPrincipal: config.AIDP_WATCH_FILTER_BY_CALLING_PRINCIPAL,
    aidpConcurrency: config.AIDP_WATCH_AIDP_CONCURRENCY,
  };
}

function announcer(services: Services, invocation: Invocation, paths: StatePaths, hooks: StepHooks | undefined): Announcer {
  const { config, logger, clock } = invocation;
  const topicId = config.AIDP_WATCH_TOPIC_ID;
  if (!topicId || !services.notifier)
    throw new ConfigError("AIDP_WATCH_TOPIC_ID is required to announce", ["AIDP_WATCH_TOPIC_ID: required"]);
  const perMinute = config.AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE;
  return new Announcer({
    claims: new ClaimStore(services.stateStore, paths, logger),
    notifier: services.notifier,
    budget: new BudgetStore(services.stateStore, paths, topicId, perMinute, logger),
    render: renderOptions(config, services.region),
    perMinute,
    clock,
    // Claim/publish chains talk to Object Storage and ONS, not AIDP: their own,
    // fixed parallelism (ONS sees at most the per-minute budget anyway).
    concurrency: ANNOUNCE_CONCURRENCY,
    claimant: invocation.callId,
    logger,
    hooks,
  });
}

export function sweepDeps(services: Services, invocation: Invocation, hooks?: StepHooks): SweepDeps {
  const paths = new StatePaths(invocation.config.AIDP_WATCH_STATE_PREFIX);
  return {
    source: services.source,
    indexStore: new IndexStore(services.stateStore, paths, invocation.logger),
    registrations: new RegistrationStore(services.stateStore, paths),
    announcer: announcer(services, invocation, paths, hooks),
    clock: invocation.clock,
    logger: invocation.logger,
    hooks,
  };
}

export function trackDeps(services: Services, invocation: Invocation, hooks?: StepHooks): TrackDeps {
  const paths = new StatePaths(invocation.config.AIDP_WATCH_STATE_PREFIX);
  return {
    source: services.source,
    registrations: new RegistrationStore(services.stateStore, paths),
    announcer: announcer(services, invocation, paths, hooks),
    filter: announcementFilterFromConfig(invocation.config),
    clock: invocation.clock,
    aidpConcurrency: invocation.config.AIDP_WATCH_AIDP_CONCURRENCY,
    followIntervalMs: invocation.config.AIDP_WATCH_SWEEP_INTERVAL_SECONDS * 1000,
    logger: invocation.logger,
    hooks,
  };
}
