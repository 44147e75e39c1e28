/**
 * `aidp-watch console [--env-file prod.env]`: the console page for a real
 * deployment, read-only, with your own OCI credentials (config file, session
 * token…): the same AIDP_WATCH_* configuration the functions have names the
 * state and output buckets and AIDP. Real ONS keeps no message log, so the
 * inbox lists what the claims record as published.
 */
import { z } from "zod";
import { startConsole } from "../../console/start-console.js";
import { AUTH_KINDS } from "../../shared/auth/auth-options.js";
import { loadConfig } from "../../shared/config/load-config.js";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import { createLogger } from "../../shared/log/logger.js";
import { waitForStopSignal } from "../../stack/stop-signal.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { configEnvironment } from "../env-file.js";
import type { CliIo } from "../registry.js";

const USAGE = [
  "usage: aidp-watch console [options]",
  "options:",
  "  --env-file F        AIDP_WATCH_* configuration as KEY=VALUE lines (the environment wins over it)",
  "  --config-file F     OCI config file (default $OCI_CONFIG_FILE or ~/.oci/config)",
  "  --profile P         profile in the config file (default $OCI_CLI_PROFILE or DEFAULT)",
  `  --auth A            ${AUTH_KINDS.join("|")} (default AIDP_WATCH_AUTH, else auto)`,
  "  --port P            port on 127.0.0.1 (default 8650; 0 = any free port)",
].join("\n");

const ArgsSchema = z.object({
  envFile: z.string().min(1).optional(),
  configFile: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  auth: z.enum(AUTH_KINDS, { message: `--auth must be one of ${AUTH_KINDS.join(", ")}` }).optional(),
  port: z.coerce.number({ message: "--port must be a number" }).int().min(0).max(65535).default(8650),
});

export async function runConsoleCommand(
  args: string[],
  io: CliIo,
  options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  try {
    const { values, help } = parseCommandLine(
      args,
      {
        "env-file": { type: "string" },
        "config-file": { type: "string" },
        profile: { type: "string" },
        auth: { type: "string" },
        port: { type: "string" },
      },
      { positionals: false },
    );
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const a = parseOrUsage(ArgsSchema, {
      envFile: values["env-file"],
      configFile: values["config-file"],
      profile: values.profile,
      auth: values.auth,
      port: values.port,
    });
    const env = configEnvironment(a, options.env ?? process.env);
    const config = loadConfig(env);
    const logger = createLogger({ level: "warn", sink: { write: (line) => io.stderr.write(`${line}\n`) }, fields: { command: "console" } });
    const running = await startConsole({
      config,
      env,
      logger,
      port: a.port,
      mode: "deployment (read-only)",
      ...(a.configFile ? { configFile: a.configFile } : {}),
      ...(a.profile ? { profile: a.profile } : {}),
      refreshMs: 5000,
    });
    io.stdout.write(`aidp-watch console (read-only) — Ctrl-C to stop\n  console  ${running.url}\n`);
    await waitForStopSignal(options.signal);
    await running.close();
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`aidp-watch console: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`aidp-watch console: ${describeError(err)}\n`);
    return 1;
  }
}
