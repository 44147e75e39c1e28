/**
 * `aidp-watch doctor`: checks a configuration against OCI or the emulator and
 * prints `{ "checks": [ { name, ok, detail, fix? } ] }` (functions/doctor/
 * run-doctor.ts lists the checks). Exit 0 only when every check passed, 1
 * otherwise, 2 for a bad command line. Publishes to the topic only with
 * `--publish-test`.
 */
import { hostname } from "node:os";
import { z } from "zod";
import { runDoctor } from "../../functions/doctor/run-doctor.js";
import { AUTH_KINDS } from "../../shared/auth/auth-options.js";
import { passed } from "../../shared/doctor/doctor-report.js";
import { createLogger, parseLogLevel } from "../../shared/log/logger.js";
import { Deadline } from "../../shared/time/deadline.js";
import type { CliIo } from "../registry.js";
import { parseCommandLine, parseOrUsage } from "../command-line.js";
import { configEnvironment } from "../env-file.js";
import { runCommand, writeJson } from "../options.js";

const USAGE = [
  "usage: aidp-watch doctor [options]",
  "options:",
  "  --env-file F        AIDP_WATCH_* configuration as KEY=VALUE lines (the environment wins over it)",
  "  --config-file F     OCI config file (default $OCI_CONFIG_FILE or ~/.oci/config)",
  "  --profile P         profile in the config file (default $OCI_CLI_PROFILE or DEFAULT)",
  `  --auth A            ${AUTH_KINDS.join("|")} (default AIDP_WATCH_AUTH, else auto)`,
  "  --publish-test      also publish one test message to AIDP_WATCH_TOPIC_ID (never done otherwise)",
  "  --timeout S         seconds all checks may take, retries included (default 60)",
  "Prints a JSON report; exit 0 only when every check passed.",
].join("\n");

const ArgsSchema = z.object({
  envFile: z.string().min(1).optional(),
  configFile: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  auth: z.enum(AUTH_KINDS, { message: `--auth must be one of ${AUTH_KINDS.join(", ")}` }).optional(),
  publishTest: z.boolean().default(false),
  timeout: z.coerce.number({ message: "--timeout must be a number of seconds" }).positive("--timeout must be > 0").max(3600).default(60),
});

export async function runDoctorCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let allPassed = false;
  const code = await runCommand(io, USAGE, async () => {
    const { values, help } = parseCommandLine(
      args,
      {
        "env-file": { type: "string" },
        "config-file": { type: "string" },
        profile: { type: "string" },
        auth: { type: "string" },
        "publish-test": { type: "boolean" },
        timeout: { type: "string" },
      },
      { positionals: false },
    );
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      allPassed = true;
      return;
    }
    const a = parseOrUsage(ArgsSchema, {
      envFile: values["env-file"],
      configFile: values["config-file"],
      profile: values.profile,
      auth: values.auth,
      publishTest: values["publish-test"],
      timeout: values.timeout,
    });
    const merged = configEnvironment(a, env);
    // Logs (retries, SDK warnings) to stderr; the report alone on stdout.
    const logger = createLogger({
      level: parseLogLevel(merged.AIDP_WATCH_LOG_LEVEL),
      sink: { write: (line) => io.stderr.write(`${line}\n`) },
      fields: { command: "doctor" },
    });
    const report = await runDoctor({
      env: merged,
      configFile: a.configFile,
      profile: a.profile,
      publishTest: a.publishTest,
      deadline: Deadline.in(a.timeout * 1000),
      logger,
      from: `aidp-watch doctor on ${hostname()}`,
    });
    writeJson(io, report);
    allPassed = passed(report);
  });
  return code === 0 && !allPassed ? 1 : code;
}
