/**
 * One entry point for credentials, whatever the situation:
 * - inside OCI Functions (`OCI_RESOURCE_PRINCIPAL_VERSION` set): resource principal;
 * - on a laptop: the OCI config file profile, API key or `security_token_file`
 *   session (`oci session authenticate`);
 * - on a compute instance, when asked: instance principal.
 *
 * Everything is checked up front (files, profile, key, RP variables) so that
 * failures are `AuthError`s that say what to fix, never the SDK's raw strings
 * and never key material.
 */
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import * as common from "oci-common";
import { describeError } from "../errors/aidp-watch-error.js";
import { redactString } from "../log/redact.js";
import {
  AuthError,
  InstancePrincipalError,
  InvalidConfigError,
  InvalidKeyError,
  RegionNotFoundError,
  ResourcePrincipalError,
} from "./auth-errors.js";
import { type AuthOptions, AuthOptionsSchema, type Env, type ResolvedAuthKind, selectAuthKind } from "./auth-options.js";
import { defaultConfigFile, type OciProfile, readOciProfile } from "./oci-config-file.js";

export type AuthProvider = common.AuthenticationDetailsProvider;

export async function createAuthProvider(options: AuthOptions = {}): Promise<AuthProvider> {
  const parsed = AuthOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new AuthError(
      `invalid auth options: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  }
  const env: Env = parsed.data.env ?? process.env;
  const kind: ResolvedAuthKind = selectAuthKind(parsed.data.auth, env);
  switch (kind) {
    case "resource_principal":
      return resourcePrincipal(env);
    case "instance_principal":
      return instancePrincipal();
    case "config_file":
    case "session_token": {
      const configFile = parsed.data.configFile ?? defaultConfigFile(env);
      const profileName = parsed.data.profile ?? env.OCI_CLI_PROFILE ?? "DEFAULT";
      return configFileProvider(readOciProfile(configFile, profileName), kind, env);
    }
  }
}

/** The region to call: an explicit override, else the provider's (config `region`, RP region…). */
export function resolveRegion(provider: AuthProvider, override?: string): string {
  if (override) return override;
  if (common.isRegionProvider(provider)) {
    try {
      const region = provider.getRegion();
      if (region?.regionId) return region.regionId;
    } catch {
      // fall through
    }
  }
  throw new RegionNotFoundError("no region: set region in the OCI config profile, OCI_RESOURCE_PRINCIPAL_REGION, or pass one explicitly");
}

function checkPrivateKey(keyFile: string, passphrase: string | undefined, context: Record<string, string>): void {
  let pem: string;
  try {
    pem = readFileSync(keyFile, "utf8");
  } catch {
    throw new InvalidKeyError(keyFile, "file not found or not readable", context);
  }
  try {
    createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch {
    // The crypto error is not attached: it is generic, and we keep key handling out of error objects.
    throw new InvalidKeyError(
      keyFile,
      passphrase === undefined
        ? "not a PEM private key (or encrypted without a pass_phrase)"
        : "not a PEM private key, or the pass_phrase is wrong",
      context,
    );
  }
}

function configFileProvider(profile: OciProfile, kind: "config_file" | "session_token", env: Env): AuthProvider {
  const context = { configFile: profile.configFile, profile: profile.name };
  if (!profile.region && !env.OCI_REGION) {
    throw new InvalidConfigError(`profile [${profile.name}] in ${profile.configFile} has no region (and OCI_REGION is not set)`, context);
  }
  checkPrivateKey(profile.keyFile, profile.passphrase, context);
  const session = profile.securityTokenFile !== undefined;
  if (kind === "session_token" && !session) {
    throw new InvalidConfigError(
      `profile [${profile.name}] in ${profile.configFile} has no security_token_file (run "oci session authenticate")`,
      context,
    );
  }
  if (session) {
    let token = "";
    try {
      token = readFileSync(profile.securityTokenFile!, "utf8").trim();
    } catch {
      // reported below
    }
    if (token === "") {
      throw new InvalidConfigError(
        `security_token_file ${profile.securityTokenFile} of profile [${profile.name}] is missing or empty`,
        context,
      );
    }
  }
  try {
    return session
      ? new common.SessionAuthDetailProvider(profile.configFile, profile.name)
      : new common.ConfigFileAuthenticationDetailsProvider(profile.configFile, profile.name);
  } catch (cause) {
    throw new InvalidConfigError(
      `profile [${profile.name}] in ${profile.configFile} could not be loaded: ${redactString(describeError(cause))}`,
      context,
    );
  }
}

const RP_VARS = [
  "OCI_RESOURCE_PRINCIPAL_VERSION",
  "OCI_RESOURCE_PRINCIPAL_RPST",
  "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM",
  "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE",
  "OCI_RESOURCE_PRINCIPAL_REGION",
] as const;

function resourcePrincipal(env: Env): AuthProvider {
  const version = env.OCI_RESOURCE_PRINCIPAL_VERSION;
  if (version !== "2.2") {
    throw new ResourcePrincipalError(
      version
        ? `OCI_RESOURCE_PRINCIPAL_VERSION=${version} is not supported (only 2.2)`
        : "OCI_RESOURCE_PRINCIPAL_VERSION is not set: not running with a resource principal",
    );
  }
  const missing = ["OCI_RESOURCE_PRINCIPAL_RPST", "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", "OCI_RESOURCE_PRINCIPAL_REGION"].filter(
    (k) => !env[k],
  );
  if (missing.length > 0) throw new ResourcePrincipalError(`resource principal environment is incomplete: ${missing.join(", ")} not set`);
  const rpst = env.OCI_RESOURCE_PRINCIPAL_RPST!;
  if (isAbsolute(rpst)) {
    try {
      readFileSync(rpst, "utf8");
    } catch {
      throw new ResourcePrincipalError(`OCI_RESOURCE_PRINCIPAL_RPST file ${rpst} is not readable`);
    }
  }
  const pem = env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM!;
  if (isAbsolute(pem)) {
    const pass = env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE;
    let passphrase: string | undefined;
    if (pass !== undefined && pass !== "") {
      try {
        passphrase = isAbsolute(pass) ? readFileSync(pass, "utf8").trim() : pass;
      } catch {
        throw new ResourcePrincipalError(`OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE file ${pass} is not readable`);
      }
    }
    checkPrivateKey(pem, passphrase, { source: "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM" });
  }
  // The SDK builder reads process.env; it is synchronous, so swapping the RP
  // variables in for its duration cannot interleave with other code.
  const saved = new Map<string, string | undefined>(RP_VARS.map((k) => [k, process.env[k]]));
  try {
    for (const k of RP_VARS) {
      const v = env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return common.ResourcePrincipalAuthenticationDetailsProvider.builder();
  } catch (cause) {
    throw new ResourcePrincipalError(`resource principal provider could not be built: ${redactString(describeError(cause))}`);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function instancePrincipal(): Promise<AuthProvider> {
  try {
    return await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
  } catch (cause) {
    throw new InstancePrincipalError(
      `instance principal provider could not be built (is this an OCI compute instance?): ${redactString(describeError(cause))}`,
    );
  }
}
