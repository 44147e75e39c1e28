/**
 * Options shared by the commands that call OCI (`operations`, `task-runs`),
 * (cli/command-line.ts parses them), plus the common plumbing:
 * building the AIDP client, printing JSON, and turning errors into one stderr
 * line and an exit code (2 = usage, 1 = failure).
 */
import { z } from "zod";
import { AidpClient } from "../shared/aidp/aidp-client.js";
import { AidpInputError } from "../shared/aidp/aidp-errors.js";
import { AUTH_KINDS } from "../shared/auth/auth-options.js";
import { createAuthProvider } from "../shared/auth/create-auth-provider.js";
import { AidpWatchError, describeError } from "../shared/errors/aidp-watch-error.js";
import { HttpError, ServiceError } from "../shared/http/http-errors.js";
import { Deadline } from "../shared/time/deadline.js";
import { type OptionSpec, parseOrUsage, UsageError } from "./command-line.js";
import type { CliIo } from "./registry.js";

export const COMMON_OPTIONS: OptionSpec = {
  "config-file": { type: "string" },
  profile: { type: "string" },
  auth: { type: "string" },
  "aidp-endpoint": { type: "string" },
  region: { type: "string" },
  timeout: { type: "string" },
  "request-id": { type: "string" },
};

export const COMMON_USAGE = [
  "common options:",
  "  --config-file F     OCI config file (default $OCI_CONFIG_FILE or ~/.oci/config)",
  "  --profile P         profile in the config file (default $OCI_CLI_PROFILE or DEFAULT)",
  `  --auth A            ${AUTH_KINDS.join("|")} (default auto)`,
  "  --aidp-endpoint U   AIDP data-plane endpoint (default $AIDP_WATCH_AIDP_ENDPOINT, else https://aidp.<region>.oci.oraclecloud.com)",
  "  --region R          region id (default: from the profile / resource principal)",
  "  --timeout S         seconds the whole command may take, retries included (default 60)",
  "  --request-id ID     opc-request-id to send",
].join("\n");

export const CommonOptionsSchema = z.object({
  configFile: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  auth: z.enum(AUTH_KINDS, { message: `--auth must be one of ${AUTH_KINDS.join(", ")}` }).default("auto"),
  aidpEndpoint: z.url({ protocol: /^https?$/, message: "--aidp-endpoint must be an http(s) URL" }).optional(),
  region: z
    .string()
    .regex(/^[a-z0-9-]+$/, "--region must be a region id such as us-ashburn-1")
    .optional(),
  /** @default 60 */
  timeout: z.coerce.number({ message: "--timeout must be a number of seconds" }).positive("--timeout must be > 0").max(86_400).default(60),
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, "--request-id: 1–255 letters, digits, _ or -")
    .optional(),
});
export type CommonOptions = z.output<typeof CommonOptionsSchema>;

export function commonOptionsFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): CommonOptions {
  return parseOrUsage(CommonOptionsSchema, {
    configFile: values["config-file"],
    profile: values.profile,
    auth: values.auth,
    aidpEndpoint: values["aidp-endpoint"] ?? (env.AIDP_WATCH_AIDP_ENDPOINT || undefined),
    region: values.region,
    timeout: values.timeout,
    requestId: values["request-id"],
  });
}

/** The client and the command's deadline (`--timeout`). */
export async function aidpClientFrom(
  options: CommonOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ client: AidpClient; deadline: Deadline }> {
  const deadline = Deadline.in(options.timeout * 1000);
  const provider = await createAuthProvider({ auth: options.auth, configFile: options.configFile, profile: options.profile, env });
  const client = new AidpClient({ provider, endpoint: options.aidpEndpoint, region: options.region });
  return { client, deadline };
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One line: the message, then what support needs (status, code, opc-request-id, attempts). */
export function formatCliError(err: unknown): string {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ");
  if (err instanceof ServiceError) {
    const limited = err.deadlineLimited ? " deadline-limited" : "";
    return oneLine(
      `${err.message} [status=${err.status} code=${err.code} opc-request-id=${err.opcRequestId ?? "-"} attempts=${err.attempts}${limited}]`,
    );
  }
  if (err instanceof HttpError) {
    const flags = [
      `opc-request-id=${err.opcRequestId ?? "-"}`,
      `attempts=${err.attempts}`,
      ...(err.deadlineLimited ? ["deadline-limited"] : []),
    ];
    return oneLine(`${err.name}: ${err.message} [${flags.join(" ")}]`);
  }
  if (err instanceof AidpWatchError) return oneLine(`${err.name}: ${err.message}`);
  return oneLine(describeError(err));
}

/** Runs a command body; maps errors to stderr + exit code (2 usage, 1 failure). */
export async function runCommand(io: CliIo, usage: string, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof AidpInputError) {
      io.stderr.write(`aidp-watch: ${err.message}\n${usage}\n`);
      return 2;
    }
    io.stderr.write(`aidp-watch: ${formatCliError(err)}\n`);
    return 1;
  }
}
