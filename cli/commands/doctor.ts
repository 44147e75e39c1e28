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
import { passed } from "../../shared/doctor/doctor-report.js";
import { createLogger, parseLogLevel } from "../../shared/log/logger.js";
import { Deadline } from "../../shared/time/deadline.js";
import type { CliIo } from "../registry.js";
import { parseCommandLine, parseOrUsage } from "../command-line.js";
import { CONFIG_OPTIONS, CONFIG_USAGE, configArgs, configArgsShape } from "../config-options.js";
import { configEnvironment } from "../env-file.js";
import { runCommand, writeJson } from "../options.js";

const USAGE = [
  "usage: aidp-watch doctor [options]",
  "options:",
  ...CONFIG_USAGE,
  "  --publish-test      also publish one test message to AIDP_WATCH_TOPIC_ID (never done otherwise)",
  "  --timeout S         seconds all checks may take, retries included (default 60)",
  "Prints a JSON report; exit 0 only when every check passed.",
].join("\n");

const ArgsSchema = z.object({
  ...configArgsShape,
  publishTest: z.boolean().default(false),
  timeout: z.coerce.number({ message: "--timeout must be a number of seconds" }).positive("--timeout must be > 0").max(3600).default(60),
});

export async function runDoctorCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let allPassed = false;
  const code = await runCommand(io, USAGE, async () => {
    const { values, help } = parseCommandLine(
      args,
      {
        ...CONFIG_OPTIONS,
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
      ...configArgs(values),
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
