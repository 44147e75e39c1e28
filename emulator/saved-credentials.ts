/**
 * Credentials for a `--data-dir` emulator survive restarts: when the folder
 * already holds what `provisionCredentials` wrote, the same keys are trusted
 * again (so configured clients keep working); tokens are reused unless they
 * expire within 10 minutes, then re-issued for the same keys. Otherwise new
 * credentials are provisioned.
 */
import { createHash, createPublicKey } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { KeyRegistry } from "./auth/key-registry.js";
import {
  type ClientCredentials,
  EMULATOR_REGION,
  EMULATOR_TENANCY,
  EMULATOR_USER,
  type KeyPair,
  makeFakeToken,
  provisionCredentials,
} from "./credentials.js";

const FILES = ["config", "api_key.pem", "session_key.pem", "session_token", "rp_key.pem", "rpst"] as const;
const TokenClaimsSchema = z.looseObject({ exp: z.number() });

function keyPairFromPrivate(privateKeyPem: string): KeyPair {
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }).toString();
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  const fingerprint = createHash("md5").update(der).digest("hex").match(/../g)!.join(":");
  return { privateKeyPem, publicKeyPem, fingerprint };
}

function freshToken(file: string, subject: string | undefined): string {
  const current = readFileSync(file, "utf8").trim();
  try {
    const claims = TokenClaimsSchema.parse(JSON.parse(Buffer.from(current.split(".")[1] ?? "", "base64url").toString("utf8")));
    if (claims.exp * 1000 > Date.now() + 10 * 60_000) return current;
  } catch {
    // unreadable token: re-issue below
  }
  const token = makeFakeToken(subject === undefined ? {} : { sub: subject });
  writeFileSync(file, token, { mode: 0o600 });
  return token;
}

export function loadOrProvisionCredentials(dir: string, registry: KeyRegistry): { credentials: ClientCredentials; reused: boolean } {
  if (!FILES.every((f) => existsSync(join(dir, f)))) return { credentials: provisionCredentials(dir, registry), reused: false };
  const apiKey = keyPairFromPrivate(readFileSync(join(dir, "api_key.pem"), "utf8"));
  const keyId = `${EMULATOR_TENANCY}/${EMULATOR_USER}/${apiKey.fingerprint}`;
  registry.addApiKey(keyId, apiKey.publicKeyPem);
  const session = keyPairFromPrivate(readFileSync(join(dir, "session_key.pem"), "utf8"));
  registry.addSessionToken(freshToken(join(dir, "session_token"), EMULATOR_USER), session.publicKeyPem, EMULATOR_USER);
  const rp = keyPairFromPrivate(readFileSync(join(dir, "rp_key.pem"), "utf8"));
  registry.addSessionToken(freshToken(join(dir, "rpst"), undefined), rp.publicKeyPem, "ocid1.fnfunc.oc1..emulatorfunction");
  const regionLine = /^region=(.+)$/m.exec(readFileSync(join(dir, "config"), "utf8"));
  return {
    reused: true,
    credentials: {
      dir,
      configFile: join(dir, "config"),
      keyId,
      apiKey,
      resourcePrincipalEnv: {
        OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
        OCI_RESOURCE_PRINCIPAL_RPST: join(dir, "rpst"),
        OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: join(dir, "rp_key.pem"),
        OCI_RESOURCE_PRINCIPAL_REGION: regionLine?.[1]?.trim() ?? EMULATOR_REGION,
      },
    },
  };
}
