/**
 * The one configuration schema of every aidp-watch function. Fn delivers app
 * and function config as environment variables, mixed with everything else in
 * the environment (PATH, FN_*, OCI_RESOURCE_PRINCIPAL_*), so every key of ours
 * carries the `AIDP_WATCH_` prefix: keys with that prefix that this schema does
 * not know are rejected (a typo fails loudly at start-up instead of silently
 * using a default), and nothing else in the environment is ever read here.
 *
 * Terraform (`infra/`) sets exactly these names; a test compares the two.
 * Defaults are documented next to each field (`@default`).
 */
import { TERMINAL_ASYNC_OPERATION_STATUSES } from "../aidp/aidp-enums.js";
import * as z from "../schema/zod.js";

const list = z.pipe(
  z.string(),
  z.transform((s: string) =>
    s
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v.length > 0),
  ),
);
const bool = z.stringbool({ truthy: ["true", "1", "yes"], falsy: ["false", "0", "no"] });
const int = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
const ocid = z
  .string()
  .check(
    z.regex(/^ocid1\.[a-z0-9_-]+\.[a-z0-9_-]*\.[a-z0-9_-]*\.[A-Za-z0-9._-]+$/, "must be an OCID (ocid1.<type>.<realm>.[region].<id>)"),
  );
const ocidList = z.pipe(list, z.array(ocid));
const httpUrl = z.url({ protocol: /^https?$/ });
const bucketName = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,256}$/, "must be a bucket name"));
const timeZone = z.string().check(
  z.refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Paris"),
);

export const HANDLERS = ["poll", "track", "export"] as const;
export type HandlerName = (typeof HANDLERS)[number];

export const ConfigSchema = z.strictObject({
  // ── Selection and platform ──────────────────────────────────────────────
  /** Which handler this function runs (one image serves all). @default derived from the Fn function name (`…-poll` → poll) */
  AIDP_WATCH_HANDLER: z.optional(z.enum(HANDLERS)),
  /** AI Data Platform OCIDs the sweep watches (comma-separated). @default none (poll then has nothing to discover; track/export take the platform from their input) */
  AIDP_WATCH_PLATFORM_IDS: z._default(ocidList, []),
  /** Compartments whose ACTIVE AI Data Platforms the sweep watches too (comma-separated), listed through the AIDP control plane; a platform with the freeform tag `aidp-watch` = `off` is skipped. The list is cached per container for 5 minutes (shared/watch/platform-directory.ts). @default none (only AIDP_WATCH_PLATFORM_IDS) */
  AIDP_WATCH_COMPARTMENT_IDS: z._default(ocidList, []),
  /** AIDP control-plane (API 20240831) endpoint override, for the emulator or another realm. @default the region's endpoint of the oci-aidataplatform SDK */
  AIDP_WATCH_CONTROL_PLANE_ENDPOINT: z.optional(httpUrl),
  /** AIDP data-plane endpoint override. @default https://aidp.<region>.oci.oraclecloud.com (see shared/aidp) */
  AIDP_WATCH_AIDP_ENDPOINT: z.optional(httpUrl),
  /** Authentication: `auto` = resource principal inside OCI Functions, else the OCI config file. @default auto */
  AIDP_WATCH_AUTH: z._default(z.enum(["auto", "resource_principal", "config_file", "session_token", "instance_principal"]), "auto"),
  /** Log level of the JSON-lines logs. @default warn (quiet: a healthy run logs nothing) */
  AIDP_WATCH_LOG_LEVEL: z._default(z.enum(["debug", "info", "warn", "error", "silent"]), "warn"),

  // ── Object Storage ─────────────────────────────────────────────────────
  /** Bucket that holds tracking state (operations, watermarks). Required by poll, track and export. */
  AIDP_WATCH_STATE_BUCKET: z.optional(bucketName),
  /** Object name prefix for state objects, ending with `/` (names are `<prefix>announcements/…`; Terraform's state_prefix validation is the same; an empty value counts as unset). @default aidp-watch/ */
  AIDP_WATCH_STATE_PREFIX: z._default(
    z.string().check(z.maxLength(200), z.regex(/^[^/].*\/$/, "must end with / and not start with /, e.g. aidp-watch/")),
    "aidp-watch/",
  ),
  /** Object Storage namespace. @default looked up once per container with GetNamespace */
  AIDP_WATCH_NAMESPACE: z.optional(z.string().check(z.minLength(1))),
  /** Object Storage endpoint override (the local emulator). @default the region's endpoint */
  AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: z.optional(httpUrl),

  // ── Notifications ──────────────────────────────────────────────────────
  /** ONS topic that terminal states are published to. Required by poll and track. */
  AIDP_WATCH_TOPIC_ID: z.optional(ocid),
  /** Notifications endpoint override (the local emulator). @default the region's endpoint */
  AIDP_WATCH_NOTIFICATIONS_ENDPOINT: z.optional(httpUrl),
  /** Statuses announced; `OTHER` stands for any status value AIDP adds later. @default SUCCEEDED,FAILED,CANCELED,OTHER */
  AIDP_WATCH_NOTIFY_STATUSES: z._default(list, [...TERMINAL_ASYNC_OPERATION_STATUSES, "OTHER"]),
  /** Only announce these action types (e.g. CREATE_TABLE). @default all */
  AIDP_WATCH_INCLUDE_ACTION_TYPES: z._default(list, []),
  /** Never announce these action types. @default none */
  AIDP_WATCH_EXCLUDE_ACTION_TYPES: z._default(list, []),
  /** Only announce these resource types (e.g. CLUSTER). @default all */
  AIDP_WATCH_INCLUDE_RESOURCE_TYPES: z._default(list, []),
  /** Never announce these resource types. @default none */
  AIDP_WATCH_EXCLUDE_RESOURCE_TYPES: z._default(list, []),
  /** Message body format: `text` for people (email, Slack), `json` for machine subscribers. @default text */
  AIDP_WATCH_MESSAGE_FORMAT: z._default(z.enum(["text", "json"]), "text"),
  /** Extra time zone shown next to UTC times in messages (IANA name). @default none (UTC only) */
  AIDP_WATCH_DISPLAY_TIME_ZONE: z.optional(timeZone),
  /** Console link template; placeholders {platformId} {operationKey} {region}. @default none (no link) */
  AIDP_WATCH_CONSOLE_URL_TEMPLATE: z.optional(z.string().check(z.maxLength(1000))),
  /** Publishes per minute before the rest is folded into one digest (ONS allows 60/min per topic). @default 50 */
  AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE: z._default(int(1, 60), 50),

  // ── Sweep (poll) ───────────────────────────────────────────────────────
  /** Only discover operations of these resource types (list API filter). @default all */
  AIDP_WATCH_RESOURCE_TYPES: z._default(list, []),
  /** Only discover operations started by the function's own principal. @default false */
  AIDP_WATCH_FILTER_BY_CALLING_PRINCIPAL: z._default(bool, false),
  /** Concurrent requests towards AIDP. @default 4 */
  AIDP_WATCH_AIDP_CONCURRENCY: z._default(int(1, 32), 4),
  /** Operations older than this are announced as given up and dropped. @default 72 */
  AIDP_WATCH_MAX_OPERATION_AGE_HOURS: z._default(int(1, 24 * 90), 72),
  /** One "still running" warning after this many minutes; 0 disables. @default 120 */
  AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES: z._default(int(0, 24 * 60 * 30), 120),
  /** Consecutive 404s before an operation is announced as lost and dropped. @default 3 */
  AIDP_WATCH_NOT_FOUND_LIMIT: z._default(int(1, 100), 3),
  /**
   * While any watched operation is in progress, one `poll` invocation sweeps again every this many seconds
   * until its work deadline (an idle platform: one sweep per invocation), and `track` keeps checking its
   * operation, backing off from 2 s up to this interval. 0 turns both off: one sweep / one check per call.
   * @default 10
   */
  AIDP_WATCH_SWEEP_INTERVAL_SECONDS: z._default(int(0, 300), 10),
  /** Shards of a scheduled sweep: above 1, a `poll` call without a shard invokes this many detached `poll` calls of the same function, one per shard (`{"shard": i, "of": n}`), and returns. @default 1 (one invocation sweeps every platform) */
  AIDP_WATCH_SHARDS: z._default(int(1, 100), 1),
  /** The poll function's own invoke endpoint (Terraform: its `invoke_endpoint`; the emulator's URL locally), used to invoke the shards. Required when AIDP_WATCH_SHARDS > 1 under OCI Functions. @default none */
  AIDP_WATCH_INVOKE_ENDPOINT: z.optional(httpUrl),
  /** Stop starting new work this long before Fn-Deadline, to save state and answer. @default 5000 */
  AIDP_WATCH_DEADLINE_RESERVE_MS: z._default(int(0, 120_000), 5000),
  /** Time budget when a call carries no Fn-Deadline (direct local invocations). @default 60000 */
  AIDP_WATCH_DEFAULT_TIMEOUT_MS: z._default(int(1000, 3_600_000), 60_000),

  // ── Export ─────────────────────────────────────────────────────────────
  /** Bucket that task-run outputs are archived to. Required by export. */
  AIDP_WATCH_OUTPUT_BUCKET: z.optional(bucketName),
  /**
   * Job-run notifications link each archived output's viewer (`index.html`) through a read-only
   * pre-authenticated request to that one object, valid this many hours (the functions then need
   * PAR_MANAGE on the output bucket: Terraform's `viewer_link_hours`). @default none (no links)
   */
  AIDP_WATCH_VIEWER_LINK_HOURS: z.optional(int(1, 24 * 366)),
  /** Object name prefix for archived outputs. @default outputs */
  AIDP_WATCH_OUTPUT_PREFIX: z._default(z.string().check(z.maxLength(200)), "outputs"),
  /** Workspaces whose finished job runs are exported automatically by the sweep: `workspaceKey` (every watched platform) or `platformOcid/workspaceKey`. @default none (discovery off) */
  AIDP_WATCH_EXPORT_WORKSPACES: z._default(list, []),
  /** How far back automatic discovery looks on its first run. @default 24 */
  AIDP_WATCH_EXPORT_LOOKBACK_HOURS: z._default(int(1, 24 * 30), 24),
  /**
   * How long after a task run ended a 404 from fetchOutput is asked again
   * (its output may not be stored yet) before it is recorded as "no output";
   * discovery holds the job run meanwhile. 0 = a 404 after the end is final. @default 60
   */
  AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES: z._default(int(0, 7 * 24 * 60), 60),
  /** Largest decoded size of one output part, in bytes. @default 1073741824 (1 GiB) */
  AIDP_WATCH_MAX_DECODED_BYTES: z._default(int(1, 50 * 1024 ** 3), 1024 ** 3),
  /** Largest decompressed/compressed ratio of one part (decompression-bomb guard). @default 1000 */
  AIDP_WATCH_MAX_EXPANSION_RATIO: z._default(int(1, 1_000_000), 1000),
});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigKey = keyof z.input<typeof ConfigSchema>;
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as ConfigKey[];
export const CONFIG_PREFIX = "AIDP_WATCH_";
