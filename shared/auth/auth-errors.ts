/**
 * Why credentials could not be set up. Messages name files, profiles and
 * variables, never key material, tokens or passphrases: they are printed by
 * the CLI and logged by functions.
 */
import { AidpWatchError, type ErrorContext } from "../errors/aidp-watch-error.js";

export class AuthError extends AidpWatchError {
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(message, options);
  }
}

/** The OCI config file does not exist or cannot be read. */
export class ConfigFileNotFoundError extends AuthError {
  constructor(readonly configFile: string) {
    super(`OCI config file not found or not readable: ${configFile}`, { context: { configFile } });
  }
}

/** The config file has no such `[profile]`. */
export class ProfileNotFoundError extends AuthError {
  constructor(
    readonly configFile: string,
    readonly profile: string,
    available: readonly string[],
  ) {
    super(`profile [${profile}] not found in ${configFile} (profiles: ${available.join(", ") || "none"})`, {
      context: { configFile, profile },
    });
  }
}

/** The profile lacks a key or has an unusable value (e.g. `key_file`, `region`). */
export class InvalidConfigError extends AuthError {
  constructor(message: string, context: ErrorContext) {
    super(message, { context });
  }
}

/** The private key file is missing, not a PEM private key, or its passphrase is wrong. */
export class InvalidKeyError extends AuthError {
  constructor(
    readonly keyFile: string,
    reason: string,
    context: ErrorContext = {},
  ) {
    super(`private key ${keyFile} is unusable: ${reason}`, { context: { keyFile, ...context } });
  }
}

/** The resource-principal environment (OCI Functions) is incomplete or unusable. */
export class ResourcePrincipalError extends AuthError {}

/** Instance-principal set-up (instance metadata, federation) failed. */
export class InstancePrincipalError extends AuthError {}

/** No region could be found for the provider. */
export class RegionNotFoundError extends AuthError {}
