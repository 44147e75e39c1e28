import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyRegistry } from "../../../emulator/auth/key-registry.js";
import { type ClientCredentials, provisionCredentials } from "../../../emulator/credentials.js";
import {
  AuthError,
  ConfigFileNotFoundError,
  InvalidConfigError,
  InvalidKeyError,
  ProfileNotFoundError,
  RegionNotFoundError,
  ResourcePrincipalError,
} from "../../../shared/auth/auth-errors.js";
import { selectAuthKind } from "../../../shared/auth/auth-options.js";
import { createAuthProvider, resolveRegion } from "../../../shared/auth/create-auth-provider.js";
import { parseOciConfig } from "../../../shared/auth/oci-config-file.js";

describe("selectAuthKind", () => {
  it("auto picks resource principal only when OCI_RESOURCE_PRINCIPAL_VERSION is set", () => {
    expect(selectAuthKind("auto", {})).toBe("config_file");
    expect(selectAuthKind("auto", { OCI_RESOURCE_PRINCIPAL_VERSION: "2.2" })).toBe("resource_principal");
    expect(selectAuthKind("instance_principal", { OCI_RESOURCE_PRINCIPAL_VERSION: "2.2" })).toBe("instance_principal");
    expect(selectAuthKind("session_token", {})).toBe("session_token");
  });
});

describe("parseOciConfig", () => {
  it("reads sections, ignores comments and blank lines, trims", () => {
    const p = parseOciConfig("# c\n[DEFAULT]\n user = u \nregion=r\n\n; x\n[B]\nkey_file=~/k.pem\n");
    expect(Object.fromEntries(p.get("DEFAULT")!)).toEqual({ user: "u", region: "r" });
    expect(Object.fromEntries(p.get("B")!)).toEqual({ key_file: "~/k.pem" });
  });
});

describe("createAuthProvider", () => {
  let dir: string;
  let creds: ClientCredentials;
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "aidp-auth-"));
    creds = provisionCredentials(dir, new KeyRegistry());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("API-key profile: provider with keyId tenancy/user/fingerprint and the config region", async () => {
    const p = await createAuthProvider({ configFile: creds.configFile, env: {} });
    expect(await p.getKeyId()).toBe(creds.keyId);
    expect(resolveRegion(p)).toBe("us-ashburn-1");
    expect(resolveRegion(p, "eu-frankfurt-1")).toBe("eu-frankfurt-1");
  });

  it("session profile (security_token_file): keyId ST$<token>, both for config_file and session_token", async () => {
    for (const auth of ["config_file", "session_token"] as const) {
      const p = await createAuthProvider({ auth, configFile: creds.configFile, profile: "SESSION", env: {} });
      expect(await p.getKeyId()).toMatch(/^ST\$eyJ/);
    }
  });

  it("session_token on an API-key profile is a clear InvalidConfigError", async () => {
    await expect(createAuthProvider({ auth: "session_token", configFile: creds.configFile, env: {} })).rejects.toThrow(
      /no security_token_file/,
    );
  });

  it("auto with the resource-principal env builds an RP provider (keyId ST$<rpst>, RP region)", async () => {
    const p = await createAuthProvider({ env: creds.resourcePrincipalEnv });
    expect(await p.getKeyId()).toMatch(/^ST\$eyJ/);
    expect(resolveRegion(p)).toBe("us-ashburn-1");
    // process.env is left as it was
    expect(process.env.OCI_RESOURCE_PRINCIPAL_VERSION).toBeUndefined();
  });

  it("missing config file, missing profile: typed errors naming the file and profile", async () => {
    const missing = join(dir, "nope");
    const e1 = await createAuthProvider({ configFile: missing, env: {} }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ConfigFileNotFoundError);
    expect(e1).toBeInstanceOf(AuthError);
    expect((e1 as Error).message).toContain(missing);
    const e2 = await createAuthProvider({ configFile: creds.configFile, profile: "PROD", env: {} }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ProfileNotFoundError);
    expect((e2 as Error).message).toMatch(/\[PROD\].*profiles: DEFAULT, SESSION/);
  });

  it("uses OCI_CONFIG_FILE from the given env when no configFile is passed", async () => {
    const p = await createAuthProvider({ env: { OCI_CONFIG_FILE: creds.configFile } });
    expect(await p.getKeyId()).toBe(creds.keyId);
  });

  it("a bad or encrypted key is an InvalidKeyError that never contains key material", async () => {
    const garbage = write("garbage.pem", "-----BEGIN PRIVATE KEY-----\nAAAASECRETSECRET\n-----END PRIVATE KEY-----\n");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const encryptedPem = privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "hunter2" }).toString();
    const encrypted = write("enc.pem", encryptedPem);
    let n = 0;
    const base = (keyFile: string, extra = "") =>
      write(`cfg-bad-${n++}`, `[DEFAULT]\nuser=u\nfingerprint=aa:bb\ntenancy=t\nregion=us-ashburn-1\nkey_file=${keyFile}\n${extra}`);
    for (const [cfg, re] of [
      [base(garbage), /not a PEM private key/],
      [base(encrypted), /not a PEM private key/],
      [base(encrypted, "pass_phrase=Xyzzy-Not-It\n"), /pass_phrase is wrong/],
      [base(join(dir, "absent.pem")), /not found/],
    ] as const) {
      const err = await createAuthProvider({ configFile: cfg, env: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidKeyError);
      const text = `${(err as Error).message} ${JSON.stringify((err as InvalidKeyError).toJSON())}`;
      expect(text).toMatch(re);
      for (const secret of ["SECRETSECRET", "BEGIN", "hunter2", "Xyzzy-Not-It", encryptedPem.slice(40, 80)])
        expect(text).not.toContain(secret);
    }
    // and the right passphrase works
    const ok = await createAuthProvider({ configFile: base(encrypted, "pass_phrase=hunter2\n"), env: {} });
    expect(await ok.getKeyId()).toBe("t/u/aa:bb");
  });

  it("a profile without region, or missing keys, is an InvalidConfigError", async () => {
    const noRegion = write("cfg-noregion", `[DEFAULT]\nuser=u\nfingerprint=f\ntenancy=t\nkey_file=${join(dir, "api_key.pem")}\n`);
    await expect(createAuthProvider({ configFile: noRegion, env: {} })).rejects.toBeInstanceOf(InvalidConfigError);
    const noKey = write("cfg-nokey", "[DEFAULT]\nuser=u\ntenancy=t\nregion=us-ashburn-1\n");
    await expect(createAuthProvider({ configFile: noKey, env: {} })).rejects.toThrow(/fingerprint, key_file/);
  });

  it("resource principal: wrong version or incomplete env is a ResourcePrincipalError naming the variables", async () => {
    await expect(createAuthProvider({ auth: "resource_principal", env: {} })).rejects.toThrow(/OCI_RESOURCE_PRINCIPAL_VERSION is not set/);
    await expect(createAuthProvider({ env: { OCI_RESOURCE_PRINCIPAL_VERSION: "1.1" } })).rejects.toThrow(/1\.1 is not supported/);
    const err = await createAuthProvider({
      env: { OCI_RESOURCE_PRINCIPAL_VERSION: "2.2", OCI_RESOURCE_PRINCIPAL_RPST: creds.resourcePrincipalEnv.OCI_RESOURCE_PRINCIPAL_RPST! },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourcePrincipalError);
    expect((err as Error).message).toContain("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM, OCI_RESOURCE_PRINCIPAL_REGION");
  });

  it("rejects unknown options (typos fail loudly)", async () => {
    await expect(createAuthProvider({ auth: "api_key" } as never)).rejects.toBeInstanceOf(AuthError);
    await expect(createAuthProvider({ profil: "X" } as never)).rejects.toBeInstanceOf(AuthError);
  });

  it("resolveRegion without any region is a RegionNotFoundError", () => {
    const bare = { getKeyId: async () => "k", getPrivateKey: () => "", getPassphrase: () => null };
    expect(() => resolveRegion(bare)).toThrow(RegionNotFoundError);
  });
});
