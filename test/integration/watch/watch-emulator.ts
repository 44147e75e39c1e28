import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClientCredentials, provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { type FunctionsEmulator, functionsService } from "../../../emulator/services/functions/index.js";
import { type NotificationsEmulator, notificationsService } from "../../../emulator/services/notifications/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../../emulator/services/object-storage/index.js";
import type { Invocation } from "../../../functions/invocation.js";
import { createPollHandler } from "../../../functions/poll/handler.js";
import { buildServices, type Services } from "../../../functions/services.js";
import { createTrackHandler } from "../../../functions/track/handler.js";
import type { Config } from "../../../shared/config/config-schema.js";
import { loadConfig } from "../../../shared/config/load-config.js";
import { silentLogger } from "../../../shared/log/logger.js";
import { systemClock } from "../../../shared/time/clock.js";
import { Deadline } from "../../../shared/time/deadline.js";
import type { SweepSummary } from "../../../shared/watch/sweep.js";
import type { StepHooks } from "../../../shared/watch/step-hooks.js";
import { announcedKeysOf } from "../../support/announced-keys.js";
import { FakeClock } from "../../support/fake-clock.js";

export const PLATFORM = "ocid1.aidataplatform.oc1.iad.emuplatform";
export const TOPIC = "ocid1.onstopic.oc1.iad.emutopic";
export const BUCKET = "aidp-watch-state";
export const NAMESPACE = "aidpwatch";

/**
 * The whole stack for integration tests: the emulator (AIDP, Object Storage,
 * Notifications) on a fake clock that drives operation progress, the real
 * clients built by `buildServices` from AIDP_WATCH_* configuration (config
 * file auth), and the real `poll`/`track` handlers invoked with that clock.
 */
export interface WatchStack {
  readonly emu: Emulator;
  readonly aidp: AidpEmulator;
  readonly ons: NotificationsEmulator;
  readonly os: ObjectStorageEmulator;
  readonly fns: FunctionsEmulator;
  readonly clock: FakeClock;
  readonly config: Config;
  readonly services: Services;
  readonly creds: ClientCredentials;
  readonly env: Record<string, string>;
  /** One sweep; `platformIds` overrides AIDP_WATCH_PLATFORM_IDS (independent scenarios in one stack). */
  poll(options?: {
    hooks?: StepHooks;
    deadlineMs?: number;
    platformIds?: string[];
    input?: unknown;
    functionId?: string;
  }): Promise<SweepSummary>;
  track(input: unknown, options?: { hooks?: StepHooks }): Promise<Record<string, unknown>>;
  /** `platform/key/status` of each announcement published, digests expanded. */
  announcedKeys(): string[];
  close(): Promise<void>;
}

export async function startWatchStack(
  options: { env?: Record<string, string>; enforceRateLimit?: boolean; latencyMs?: number; platformListTtlMs?: number } = {},
): Promise<WatchStack> {
  // Start near real time: timestamps stay plausible, and signatures use the wall clock anyway.
  const clock = new FakeClock(Math.floor(Date.now() / 60_000) * 60_000);
  const emu = await startEmulator({
    clock,
    latencyMs: options.latencyMs,
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: NAMESPACE, buckets: [BUCKET] }),
      notificationsService({ topics: [TOPIC], enforceRateLimit: options.enforceRateLimit ?? false }),
      functionsService(),
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), "aidp-watch-it-"));
  const creds = provisionCredentials(dir, emu.registry);
  const env: Record<string, string> = {
    AIDP_WATCH_AUTH: "config_file",
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url,
    AIDP_WATCH_CONTROL_PLANE_ENDPOINT: emu.url,
    AIDP_WATCH_INVOKE_ENDPOINT: emu.url,
    AIDP_WATCH_STATE_BUCKET: BUCKET,
    AIDP_WATCH_TOPIC_ID: TOPIC,
    // One sweep per poll() and one check per track() unless a test turns the
    // loop on: it sleeps on the fake clock, which only moves when told to.
    AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "0",
    ...options.env,
  };
  const config = loadConfig(env);
  const services = await buildServices({
    config,
    logger: silentLogger,
    clock: systemClock,
    deadline: Deadline.in(30_000),
    env: { OCI_CONFIG_FILE: creds.configFile },
    ...(options.platformListTtlMs === undefined ? {} : { platformListTtlMs: options.platformListTtlMs }),
  });
  const invocation = (deadlineMs = 60_000, platformIds?: string[], functionId?: string): Invocation => {
    const hard = Deadline.in(deadlineMs, clock);
    const cfg = platformIds ? { ...config, AIDP_WATCH_PLATFORM_IDS: platformIds } : config;
    return {
      hardDeadline: hard,
      workDeadline: hard.minus(config.AIDP_WATCH_DEADLINE_RESERVE_MS),
      callId: undefined,
      functionId,
      logger: silentLogger,
      config: cfg,
      clock,
    };
  };
  const aidp = emu.service<AidpEmulator>("aidp");
  const ons = emu.service<NotificationsEmulator>("notifications");
  return {
    emu,
    aidp,
    ons,
    os: emu.service<ObjectStorageEmulator>("objectstorage"),
    fns: emu.service<FunctionsEmulator>("functions"),
    clock,
    config,
    services,
    creds,
    env,
    async poll(o = {}) {
      const handler = createPollHandler({ services: async () => services, hooks: o.hooks });
      return (await handler(o.input ?? {}, invocation(o.deadlineMs, o.platformIds, o.functionId))) as unknown as SweepSummary;
    },
    async track(input, o = {}) {
      const handler = createTrackHandler({ services: async () => services, hooks: o.hooks });
      return (await handler(input, invocation())) as Record<string, unknown>;
    },
    announcedKeys() {
      return announcedKeysOf(ons.messages(TOPIC).map((m) => m.body));
    },
    async close() {
      services.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function op(
  overrides: {
    resourceType?: string;
    actionType?: string;
    resourceName?: string;
    durationMs?: number;
    finalStatus?: string;
    errorCode?: string;
    errorMessage?: string;
    timeStarted?: number;
  } = {},
) {
  return { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "sales.q3.orders", ...overrides };
}
