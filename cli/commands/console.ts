/**
 * `aidp-watch console [--env-file prod.env]`: the console page for a real
 * deployment, read-only, with your own OCI credentials (config file, session
 * token…): the same AIDP_WATCH_* configuration the functions have names the
 * state and output buckets and AIDP. Real ONS keeps no message log, so the
 * inbox lists what the claims record as published.
 */
import { z } from "zod";
import { startConsole } from "../../console/start-console.js";
import { loadConfig } from "../../shared/config/load-config.js";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import { createLogger } from "../../shared/log/logger.js";
import { waitForStopSignal } from "../../stack/stop-signal.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { CONFIG_OPTIONS, CONFIG_USAGE, configArgs, configArgsShape } from "../config-options.js";
import { configEnvironment } from "../env-file.js";
import type { CliIo } from "../registry.js";

const USAGE = [
  "usage: aidp-watch console [options]",
  "options:",
  ...CONFIG_USAGE,
  "  --port P            port on 127.0.0.1 (default 8650; 0 = any free port)",
].join("\n");

const ArgsSchema = z.object({
  ...configArgsShape,
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
        ...CONFIG_OPTIONS,
        port: { type: "string" },
      },
      { positionals: false },
    );
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const a = parseOrUsage(ArgsSchema, {
      ...configArgs(values),
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
