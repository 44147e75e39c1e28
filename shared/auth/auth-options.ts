/**
 * How to authenticate, as parsed from CLI flags or function config.
 * - `auto` (default): resource principal when `OCI_RESOURCE_PRINCIPAL_VERSION`
 *   is set (OCI Functions injects it), else the OCI config file profile.
 * - `config_file`: the profile's API key, or its session token when the profile
 *   has `security_token_file`.
 * - `session_token`: the profile must have `security_token_file`
 *   (`oci session authenticate`).
 * - `resource_principal`, `instance_principal`: forced.
 */
import * as z from "../schema/zod.js";

export const AUTH_KINDS = ["auto", "resource_principal", "config_file", "session_token", "instance_principal"] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];
export type ResolvedAuthKind = Exclude<AuthKind, "auto">;

/** Environment variables (`process.env` or a copy). */
export type Env = Readonly<Record<string, string | undefined>>;

export const AuthOptionsSchema = z.strictObject({
  /** @default "auto" */
  auth: z._default(z.enum(AUTH_KINDS), "auto"),
  /** @default env OCI_CONFIG_FILE, else ~/.oci/config */
  configFile: z.optional(z.string().check(z.minLength(1))),
  /** @default env OCI_CLI_PROFILE, else "DEFAULT" */
  profile: z.optional(z.string().check(z.minLength(1))),
  /** Environment to read (RP variables, OCI_CONFIG_FILE…). @default process.env */
  env: z.optional(z.custom<Env>((v) => typeof v === "object" && v !== null, "env must be an object of strings")),
});

export type AuthOptions = z.input<typeof AuthOptionsSchema>;

/** Which provider `auto` stands for in this environment (pure). */
export function selectAuthKind(auth: AuthKind, env: Env): ResolvedAuthKind {
  if (auth !== "auto") return auth;
  return env.OCI_RESOURCE_PRINCIPAL_VERSION ? "resource_principal" : "config_file";
}
