/**
 * The options every command that runs against a deployment takes (`console`,
 * `doctor`, `sweep`, `track`): where the AIDP_WATCH_* configuration and the
 * OCI credentials come from. One spec, one set of usage lines and one schema,
 * so the commands cannot drift apart; cli/env-file.ts reads `--env-file`.
 */
import { z } from "zod";
import { AUTH_KINDS } from "../shared/auth/auth-options.js";
import type { OptionSpec, OptionValues } from "./command-line.js";

export const CONFIG_OPTIONS = {
  "env-file": { type: "string" },
  "config-file": { type: "string" },
  profile: { type: "string" },
  auth: { type: "string" },
} as const satisfies OptionSpec;

export const CONFIG_USAGE = [
  "  --env-file F        AIDP_WATCH_* configuration as KEY=VALUE lines (the environment wins over it)",
  "  --config-file F     OCI config file (default $OCI_CONFIG_FILE or ~/.oci/config)",
  "  --profile P         profile in the config file (default $OCI_CLI_PROFILE or DEFAULT)",
  `  --auth A            ${AUTH_KINDS.join("|")} (default AIDP_WATCH_AUTH, else auto)`,
] as const;

/** Spread into a command's args schema, next to its own fields. */
export const configArgsShape = {
  envFile: z.string().min(1).optional(),
  configFile: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  auth: z.enum(AUTH_KINDS, { message: `--auth must be one of ${AUTH_KINDS.join(", ")}` }).optional(),
};

/** The parsed values of CONFIG_OPTIONS, named as configArgsShape names them. */
export function configArgs(values: OptionValues): Record<keyof typeof configArgsShape, unknown> {
  return { envFile: values["env-file"], configFile: values["config-file"], profile: values.profile, auth: values.auth };
}
