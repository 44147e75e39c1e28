/**
 * Credentials for talking to the emulator, generated at run time (keys are
 * never committed): an API-key profile in an OCI config file, a session-token
 * profile, and a resource-principal environment like OCI Functions injects.
 */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyRegistry } from "./auth/key-registry.js";

export const EMULATOR_TENANCY = "ocid1.tenancy.oc1..emulatortenancy";
export const EMULATOR_USER = "ocid1.user.oc1..emulatoruser";
export const EMULATOR_COMPARTMENT = "ocid1.compartment.oc1..emulatorcompartment";
export const EMULATOR_REGION = "us-ashburn-1";

export interface KeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  /** OCI fingerprint: MD5 of the DER public key, colon-separated hex. */
  readonly fingerprint: string;
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  const fingerprint = createHash("md5").update(der).digest("hex").match(/../g)!.join(":");
  return { privateKeyPem, publicKeyPem, fingerprint };
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/**
 * An unsigned JWT shaped like an RPST/session token (`res_tenant`,
 * `res_compartment`, `exp`). Real tokens live minutes and are refreshed by
 * OCI; the emulator's live 7 days so a long `npm start` session never runs
 * into an expiry nothing would refresh (oci-common re-reads the token file,
 * which holds the same token).
 */
export const FAKE_TOKEN_LIFETIME_S = 7 * 24 * 3600;

export function makeFakeToken(claims: Record<string, string | number> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: "ocid1.fnfunc.oc1..emulatorfunction",
    res_tenant: EMULATOR_TENANCY,
    res_compartment: EMULATOR_COMPARTMENT,
    res_type: "fnfunc",
    iat: now,
    exp: now + FAKE_TOKEN_LIFETIME_S,
    ...claims,
  };
  return `${base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${base64url(JSON.stringify(payload))}.${base64url("unsigned")}`;
}

export interface ClientCredentials {
  /** Folder holding everything below (keys, config, token). */
  readonly dir: string;
  /** OCI config file with profiles `DEFAULT` (API key) and `SESSION` (security_token_file). */
  readonly configFile: string;
  readonly keyId: string;
  readonly apiKey: KeyPair;
  /** Environment that makes `ResourcePrincipalAuthenticationDetailsProvider` work offline. */
  readonly resourcePrincipalEnv: Record<string, string>;
}

/**
 * Writes credentials under `dir` and trusts them in `registry`. Files holding
 * private keys are created with mode 0600.
 */
export function provisionCredentials(dir: string, registry: KeyRegistry, region = EMULATOR_REGION): ClientCredentials {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const apiKey = generateKeyPair();
  const keyFile = join(dir, "api_key.pem");
  writeFileSync(keyFile, apiKey.privateKeyPem, { mode: 0o600 });
  const keyId = `${EMULATOR_TENANCY}/${EMULATOR_USER}/${apiKey.fingerprint}`;
  registry.addApiKey(keyId, apiKey.publicKeyPem);

  const session = generateKeyPair();
  const sessionKeyFile = join(dir, "session_key.pem");
  writeFileSync(sessionKeyFile, session.privateKeyPem, { mode: 0o600 });
  const sessionToken = makeFakeToken({ sub: EMULATOR_USER });
  const tokenFile = join(dir, "session_token");
  writeFileSync(tokenFile, sessionToken, { mode: 0o600 });
  registry.addSessionToken(sessionToken, session.publicKeyPem, EMULATOR_USER);

  const rp = generateKeyPair();
  const rpKeyFile = join(dir, "rp_key.pem");
  writeFileSync(rpKeyFile, rp.privateKeyPem, { mode: 0o600 });
  const rpst = makeFakeToken();
  const rpstFile = join(dir, "rpst");
  writeFileSync(rpstFile, rpst, { mode: 0o600 });
  registry.addSessionToken(rpst, rp.publicKeyPem, "ocid1.fnfunc.oc1..emulatorfunction");

  const configFile = join(dir, "config");
  writeFileSync(
    configFile,
    [
      "[DEFAULT]",
      `user=${EMULATOR_USER}`,
      `fingerprint=${apiKey.fingerprint}`,
      `tenancy=${EMULATOR_TENANCY}`,
      `region=${region}`,
      `key_file=${keyFile}`,
      "",
      "[SESSION]",
      `fingerprint=${session.fingerprint}`,
      `tenancy=${EMULATOR_TENANCY}`,
      `region=${region}`,
      `key_file=${sessionKeyFile}`,
      `security_token_file=${tokenFile}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  return {
    dir,
    configFile,
    keyId,
    apiKey,
    resourcePrincipalEnv: {
      OCI_RESOURCE_PRINCIPAL_VERSION: "2.2",
      OCI_RESOURCE_PRINCIPAL_RPST: rpstFile,
      OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: rpKeyFile,
      OCI_RESOURCE_PRINCIPAL_REGION: region,
    },
  };
}
