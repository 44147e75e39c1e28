/**
 * The OCI config file (INI: `[PROFILE]` sections of `key=value`), read by us
 * before oci-common sees it, so a missing file, profile or key gives a clear
 * `AuthError` instead of the SDK's thrown strings. As in the SDK, a profile
 * inherits keys it lacks from `[DEFAULT]`.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as z from "../schema/zod.js";
import { ConfigFileNotFoundError, InvalidConfigError, ProfileNotFoundError } from "./auth-errors.js";

export type OciProfiles = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Parses the INI text (pure). Comments start with `#` or `;`. */
export function parseOciConfig(text: string): OciProfiles {
  const profiles = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      current = profiles.get(name) ?? new Map<string, string>();
      profiles.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0 || !current) continue;
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return profiles;
}

const ProfileSchema = z.object({
  tenancy: z.string().check(z.minLength(1)),
  region: z.optional(z.string().check(z.minLength(1))),
  fingerprint: z.string().check(z.minLength(1)),
  key_file: z.string().check(z.minLength(1)),
  user: z.optional(z.string().check(z.minLength(1))),
  pass_phrase: z.optional(z.string()),
  security_token_file: z.optional(z.string().check(z.minLength(1))),
});

/** The profile's settings that matter to us. `passphrase` is never logged or printed. */
export interface OciProfile {
  readonly configFile: string;
  readonly name: string;
  readonly tenancy: string;
  readonly region: string | undefined;
  readonly fingerprint: string;
  readonly keyFile: string;
  readonly user: string | undefined;
  readonly passphrase: string | undefined;
  readonly securityTokenFile: string | undefined;
}

export function expandHome(path: string): string {
  return path.startsWith("~/") ? `${homedir()}${path.slice(1)}` : path;
}

export function defaultConfigFile(env: Readonly<Record<string, string | undefined>>): string {
  return env.OCI_CONFIG_FILE || "~/.oci/config";
}

/** Reads `configFile` and returns `profile` (merged over `[DEFAULT]`), validated. */
export function readOciProfile(configFile: string, profile: string): OciProfile {
  const path = expandHome(configFile);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigFileNotFoundError(configFile);
  }
  const profiles = parseOciConfig(text);
  const section = profiles.get(profile);
  if (!section) throw new ProfileNotFoundError(configFile, profile, [...profiles.keys()]);
  const merged = Object.fromEntries([...(profiles.get("DEFAULT") ?? new Map<string, string>()), ...section]);
  const parsed = ProfileSchema.safeParse(merged);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new InvalidConfigError(`profile [${profile}] in ${configFile} is missing or has invalid: ${missing}`, { configFile, profile });
  }
  const p = parsed.data;
  if (!p.security_token_file && !p.user) {
    throw new InvalidConfigError(`profile [${profile}] in ${configFile} has neither user (API key) nor security_token_file (session)`, {
      configFile,
      profile,
    });
  }
  return {
    configFile,
    name: profile,
    tenancy: p.tenancy,
    region: p.region,
    fingerprint: p.fingerprint,
    keyFile: expandHome(p.key_file),
    user: p.user,
    passphrase: p.pass_phrase,
    securityTokenFile: p.security_token_file ? expandHome(p.security_token_file) : undefined,
  };
}
