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
import type { Config, HandlerName } from "../../shared/config/config-schema.js";
import { loadConfig, requireFor } from "../../shared/config/load-config.js";
import { createLogger } from "../../shared/log/logger.js";
import { systemClock } from "../../shared/time/clock.js";
import { Deadline } from "../../shared/time/deadline.js";
import type { CliIo } from "../registry.js";
import { type OptionSpec, parseCommandLine, parseOrUsage } from "../command-line.js";
import { CONFIG_OPTIONS, CONFIG_USAGE, configArgs, configArgsShape } from "../config-options.js";
import { configEnvironment } from "../env-file.js";

const WATCH_OPTIONS: OptionSpec = {
  ...CONFIG_OPTIONS,
  timeout: { type: "string" },
};

export const WATCH_USAGE = [
  "options:",
  ...CONFIG_USAGE,
  "  --timeout S         seconds the run may take, like a function's timeout (default 60)",
  "Against the local emulator: aidp-watch emulator prints the endpoints and credentials to use.",
].join("\n");

const ArgsSchema = z.object({
  ...configArgsShape,
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
    ...configArgs(parsed.values),
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
