import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ClientCredentials, EMULATOR_USER, provisionCredentials } from "../../../emulator/credentials.js";
import type { EmuRequest } from "../../../emulator/http/types.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { createAuthProvider } from "../../../shared/auth/create-auth-provider.js";
import { SignedHttpClient } from "../../../shared/http/signed-http-client.js";
import { Deadline } from "../../../shared/time/deadline.js";

// Every provider createAuthProvider can build offline signs requests the emulator accepts.
const whoami = () => ({
  name: "who",
  routes: () => [
    {
      method: "GET",
      pattern: "/20260430/whoami",
      name: "who.get",
      handler: (r: EmuRequest) => ({ status: 200, body: { principal: r.principal } }),
    },
    {
      method: "POST",
      pattern: "/20260430/whoami/actions/echo",
      name: "who.post",
      handler: (r: EmuRequest) => ({ status: 200, body: { principal: r.principal } }),
    },
  ],
});

describe("auth provider selection, verified by the emulator", () => {
  let emu: Emulator;
  let dir: string;
  let creds: ClientCredentials;
  const call = async (provider: Awaited<ReturnType<typeof createAuthProvider>>, method: "GET" | "POST") => {
    const http = new SignedHttpClient({ provider });
    const res = await http.request(
      {
        method,
        url: `${emu.url}/20260430/whoami${method === "POST" ? "/actions/echo" : ""}`,
        operation: "who",
        schema: z.object({ principal: z.string() }),
        body: method === "POST" ? { a: 1 } : undefined,
      },
      { deadline: Deadline.in(10_000) },
    );
    return res.data.principal;
  };

  beforeAll(async () => {
    emu = await startEmulator({ services: [whoami] });
    dir = mkdtempSync(join(tmpdir(), "aidp-authint-"));
    creds = provisionCredentials(dir, emu.registry);
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("config file API key (DEFAULT profile)", async () => {
    const p = await createAuthProvider({ auth: "config_file", configFile: creds.configFile, env: {} });
    expect(await call(p, "GET")).toBe(EMULATOR_USER);
    expect(await call(p, "POST")).toBe(EMULATOR_USER);
  });

  it("session token profile (security_token_file → SessionAuthDetailProvider)", async () => {
    const p = await createAuthProvider({ auth: "session_token", configFile: creds.configFile, profile: "SESSION", env: {} });
    expect(await call(p, "GET")).toBe(EMULATOR_USER);
    expect(await call(p, "POST")).toBe(EMULATOR_USER);
  });

  it("resource principal from the OCI Functions env with a fake RPST (auto)", async () => {
    const p = await createAuthProvider({ env: { ...creds.resourcePrincipalEnv, OCI_CONFIG_FILE: "/nonexistent" } });
    expect(await call(p, "GET")).toBe("ocid1.fnfunc.oc1..emulatorfunction");
    expect(await call(p, "POST")).toBe("ocid1.fnfunc.oc1..emulatorfunction");
  });
});
