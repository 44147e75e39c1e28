import { AidpWatchError } from "../errors/aidp-watch-error.js";
import { CONFIG_PREFIX, type Config, ConfigSchema, type HandlerName } from "./config-schema.js";

export class ConfigError extends AidpWatchError {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message, { context: { problems: problems.join("; ") } });
  }
}

/**
 * Validates the environment once (at cold start). Only `AIDP_WATCH_*` keys are
 * read; an unknown one is an error. Messages name keys, never values, so a
 * misplaced secret can't leak through an error.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const ours: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    // Empty values count as unset: Terraform writes "" for an optional variable left empty.
    if (k.startsWith(CONFIG_PREFIX) && v !== undefined && v !== "") ours[k] = v;
  }
  const parsed = ConfigSchema.safeParse(ours);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      if (i.code === "unrecognized_keys")
        return `unknown key(s) ${i.keys.join(", ")} (typo? every AIDP_WATCH_* key must be one aidp-watch knows)`;
      return `${i.path.join(".") || "(config)"}: ${i.message}`;
    });
    throw new ConfigError(`invalid aidp-watch configuration: ${problems.join("; ")}`, problems);
  }
  return parsed.data;
}

const REQUIRED: Record<HandlerName, Array<keyof Config>> = {
  poll: ["AIDP_WATCH_STATE_BUCKET", "AIDP_WATCH_TOPIC_ID"],
  track: ["AIDP_WATCH_STATE_BUCKET", "AIDP_WATCH_TOPIC_ID"],
  export: ["AIDP_WATCH_STATE_BUCKET", "AIDP_WATCH_OUTPUT_BUCKET"],
};

/** Checks that the keys a handler cannot work without are set. */
export function requireFor(handler: HandlerName, config: Config): void {
  const missing = REQUIRED[handler].filter((k) => config[k] === undefined);
  // The sweep runs export discovery when workspaces are listed: it needs the output bucket too.
  if (handler === "poll" && config.AIDP_WATCH_EXPORT_WORKSPACES.length > 0 && config.AIDP_WATCH_OUTPUT_BUCKET === undefined) {
    missing.push("AIDP_WATCH_OUTPUT_BUCKET");
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `the ${handler} function needs ${missing.join(", ")}`,
      missing.map((k) => `${k}: required by ${handler}`),
    );
  }
}
