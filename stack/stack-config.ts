/**
 * Names and settings shared by the local stack, the demo and their tests, and
 * the environment each function process gets: exactly what Terraform would
 * set as function config in OCI, pointed at the emulator.
 */
import type { HandlerName } from "../shared/config/config-schema.js";

export const STACK_PLATFORM_ID = "ocid1.aidataplatform.oc1.iad.aidpwatchdemo";
export const STACK_TOPIC_ID = "ocid1.onstopic.oc1..aidpwatch";
export const STACK_NAMESPACE = "aidpwatch";
export const STATE_BUCKET = "aidp-watch-state";
export const OUTPUT_BUCKET = "aidp-watch-outputs";
export const EMAIL_ADDRESS = "you@example.com";
export const STACK_FUNCTIONS: readonly HandlerName[] = ["poll", "track", "export"];
export const DEFAULT_STACK_PORT = 8642;
export const DEFAULT_DATA_DIR = ".aidp-watch";

/** The OCID each local function process gets as `FN_FN_ID` (as OCI Functions sets it); the emulator's invoke endpoint routes calls for it to that process. */
export function stackFunctionId(name: string): string {
  return `ocid1.fnfunc.oc1..aidpwatch${name}`;
}

/** Fn-Deadline given to each call, like each function's configured timeout. */
export const CALL_TIMEOUT_MS: Record<HandlerName, number> = { poll: 30_000, track: 30_000, export: 120_000 };

/**
 * The demo's long-running operation started 40 scenario-minutes ago; the
 * warning threshold (whole minutes, the config's unit) sits below that so the
 * warning comes within the demo at any speed.
 */
export function stillRunningMinutes(speed: number): number {
  return Math.max(1, Math.floor(30 / speed));
}

export function functionEnv(options: {
  emulatorUrl: string;
  platformIds: readonly string[];
  speed: number;
  resourcePrincipalEnv: Record<string, string>;
  /** @default the config default (5000) */
  deadlineReserveMs?: number;
  /** `AIDP_WATCH_SHARDS`: above 1, each scheduled poll fans out through the emulator's invoke endpoint. @default 1 */
  shards?: number;
}): Record<string, string> {
  return {
    ...options.resourcePrincipalEnv,
    AIDP_WATCH_AUTH: "resource_principal",
    AIDP_WATCH_LOG_LEVEL: "info",
    AIDP_WATCH_PLATFORM_IDS: options.platformIds.join(","),
    AIDP_WATCH_AIDP_ENDPOINT: options.emulatorUrl,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: options.emulatorUrl,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: options.emulatorUrl,
    AIDP_WATCH_CONTROL_PLANE_ENDPOINT: options.emulatorUrl,
    AIDP_WATCH_INVOKE_ENDPOINT: options.emulatorUrl,
    ...(options.shards !== undefined && options.shards > 1 ? { AIDP_WATCH_SHARDS: String(options.shards) } : {}),
    AIDP_WATCH_NAMESPACE: STACK_NAMESPACE,
    AIDP_WATCH_STATE_BUCKET: STATE_BUCKET,
    AIDP_WATCH_OUTPUT_BUCKET: OUTPUT_BUCKET,
    AIDP_WATCH_TOPIC_ID: STACK_TOPIC_ID,
    // Job-run notifications (when the sweep's discovery is on: AIDP_WATCH_EXPORT_WORKSPACES) link each output's
    // viewer through a pre-authenticated request to the emulator, readable without credentials.
    AIDP_WATCH_VIEWER_LINK_HOURS: "24",
    AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES: String(stillRunningMinutes(options.speed)),
    // The local scheduler ticks every few seconds (--poll-interval), faster than
    // any sweep loop, and a stop waits for the poll in flight: one sweep per tick.
    AIDP_WATCH_SWEEP_INTERVAL_SECONDS: "0",
    ...(options.deadlineReserveMs === undefined ? {} : { AIDP_WATCH_DEADLINE_RESERVE_MS: String(options.deadlineReserveMs) }),
  };
}
