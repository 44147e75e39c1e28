/**
 * What `sweep` and `track` share: they run the very handlers the functions
 * run, with configuration from `--env-file` and the environment (the same
 * AIDP_WATCH_* keys; the environment wins over the file), auth from
 * `--auth`/`--config-file`/`--profile`, and a `--timeout` standing in for
 * Fn-Deadline. Logs go to stderr; the handler's answer is printed as JSON.
 */
import { z } from "zod";
import type { Invocation } from "../../functions/invocation.js";
import { buildServices, type Services } from "../../functions/services.js";
import { AUTH_KINDS } from "../../shared/auth/auth-options.js";
import type { Config, HandlerName } from "../../shared/config/config-schema.js";
import { loadConfig, requireFor } from "../../shared/config/load-config.js";
import { createLogger } from "../../shared/log/logger.js";
import { systemClock } from "../../shared/time/clock.js";
import { Deadline } from "../../shared/time/deadline.js";
import type { CliIo } from "../registry.js";
import { type OptionSpec, parseCommandLine, parseOrUsage } from "../command-line.js";
import { configEnvironment } from "../env-file.js";

const WATCH_OPTIONS: OptionSpec = {
  "env-file": { type: "string" },
  "config-file": { type: "string" },
  profile: { type: "string" },
  auth: { type: "string" },
  timeout: { type: "string" },
};

export const WATCH_USAGE = [
  "options:",
  "  --env-file F        AIDP_WATCH_* configuration as KEY=VALUE lines (the environment wins over it)",
  "  --config-file F     OCI config file (default $OCI_CONFIG_FILE or ~/.oci/config)",
  "  --profile P         profile in the config file (default $OCI_CLI_PROFILE or DEFAULT)",
  `  --auth A            ${AUTH_KINDS.join("|")} (default AIDP_WATCH_AUTH, else auto)`,
  "  --timeout S         seconds the run may take, like a function's timeout (default 60)",
  "Against the local emulator: aidp-watch emulator prints the endpoints and credentials to use.",
].join("\n");

const ArgsSchema = z.object({
  envFile: z.string().min(1).optional(),
  configFile: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  auth: z.enum(AUTH_KINDS, { message: `--auth must be one of ${AUTH_KINDS.join(", ")}` }).optional(),
  timeout: z.coerce.number({ message: "--timeout must be a number of seconds" }).positive("--timeout must be > 0").max(3600).default(60),
});

export interface WatchRun {
  readonly invocation: Invocation;
  readonly services: Services;
  readonly positionals: string[];
  /** The command's own boolean flags (`extraFlags`) that were given. */
  readonly flags: ReadonlySet<string>;
}

/** `checkPositionals` throws a `UsageError` for wrong arguments, before any configuration or auth is loaded. */
export async function prepareWatchRun(
  handler: HandlerName,
  args: string[],
  io: CliIo,
  checkPositionals: (positionals: string[]) => void,
  env: NodeJS.ProcessEnv = process.env,
  extraFlags: readonly string[] = [],
): Promise<WatchRun | "help"> {
  const options: OptionSpec = { ...WATCH_OPTIONS, ...Object.fromEntries(extraFlags.map((f) => [f, { type: "boolean" as const }])) };
  const parsed = parseCommandLine(args, options);
  if (parsed.help) return "help";
  checkPositionals(parsed.positionals);
  const a = parseOrUsage(ArgsSchema, {
    envFile: parsed.values["env-file"],
    configFile: parsed.values["config-file"],
    profile: parsed.values.profile,
    auth: parsed.values.auth,
    timeout: parsed.values.timeout,
  });
  const merged = configEnvironment(a, env);
  const config: Config = loadConfig(merged);
  requireFor(handler, config);
  const logger = createLogger({
    level: config.AIDP_WATCH_LOG_LEVEL,
    sink: { write: (line) => io.stderr.write(`${line}\n`) },
    fields: { command: handler },
  });
  const hardDeadline = Deadline.in(a.timeout * 1000);
  const reserve = Math.min(config.AIDP_WATCH_DEADLINE_RESERVE_MS, a.timeout * 500);
  const services = await buildServices({
    config,
    logger,
    clock: systemClock,
    deadline: hardDeadline,
    configFile: a.configFile,
    profile: a.profile,
    env: merged,
  });
  return {
    invocation: { hardDeadline, workDeadline: hardDeadline.minus(reserve), callId: undefined, logger, config, clock: systemClock },
    services,
    positionals: parsed.positionals,
    flags: new Set(extraFlags.filter((f) => parsed.values[f] === true)),
  };
}
