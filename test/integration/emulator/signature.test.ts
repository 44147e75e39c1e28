import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair, provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";

// The emulator's verifier is our own draft-cavage implementation; here it
// judges requests signed by oci-common, which makes it the independent check
// of our signing that the foundation issue asks for.
const echoService = () => ({
  name: "echo",
  routes: () => [
    {
      method: "GET",
      pattern: "/20260430/echo/:id",
      name: "echo.get",
      handler: (r: { params: Record<string, string>; principal: string }) => ({
        status: 200,
        body: { id: r.params.id, principal: r.principal },
      }),
    },
    {
      method: "POST",
      pattern: "/20260430/echo/:id/actions/post",
      name: "echo.post",
      handler: (r: { body: Buffer }) => ({ status: 200, body: { got: r.body.toString() } }),
    },
  ],
});

describe("emulator signature verification", () => {
  let emu: Emulator;
  let dir: string;
  let provider: common.ConfigFileAuthenticationDetailsProvider;

  beforeAll(async () => {
    emu = await startEmulator({ services: [echoService] });
    dir = mkdtempSync(join(tmpdir(), "aidp-sig-"));
    const creds = provisionCredentials(dir, emu.registry);
    provider = new common.ConfigFileAuthenticationDetailsProvider(creds.configFile, "DEFAULT");
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedFetch(p: common.AuthenticationDetailsProvider, method: common.Method, path: string, body?: string) {
    const uri = `${emu.url}${path}`;
    const headers = new Headers(body === undefined ? {} : { "content-type": "application/json" });
    const req: common.HttpRequest = { method, uri, headers, body };
    await new common.DefaultRequestSigner(p).signHttpRequest(req);
    return fetch(uri, { method, headers: req.headers, body });
  }

  it("accepts GET and POST signed by oci-common with a registered API key", async () => {
    const get = await signedFetch(provider, "GET", "/20260430/echo/a%20b");
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ id: "a b", principal: "ocid1.user.oc1..emulatoruser" });
    const post = await signedFetch(provider, "POST", "/20260430/echo/x/actions/post", JSON.stringify({ hello: "wörld" }));
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ got: '{"hello":"wörld"}' });
  });

  it("rejects a request signed with an unregistered key as 401 NotAuthenticated", async () => {
    const other = generateKeyPair();
    const rogue = new common.SimpleAuthenticationDetailsProvider(
      "ocid1.tenancy.oc1..emulatortenancy",
      "ocid1.user.oc1..emulatoruser",
      other.fingerprint,
      other.privateKeyPem,
      null,
    );
    const res = await signedFetch(rogue, "GET", "/20260430/echo/1");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "NotAuthenticated" });
    expect(res.headers.get("opc-request-id")).toBeTruthy();
  });

  it("rejects an unsigned request and a tampered body", async () => {
    const unsigned = await fetch(`${emu.url}/20260430/echo/1`);
    expect(unsigned.status).toBe(401);
    const uri = `${emu.url}/20260430/echo/x/actions/post`;
    const headers = new Headers({ "content-type": "application/json" });
    const req: common.HttpRequest = { method: "POST", uri, headers, body: '{"a":1}' };
    await new common.DefaultRequestSigner(provider).signHttpRequest(req);
    const tampered = await fetch(uri, { method: "POST", headers: req.headers, body: '{"a":2}' });
    expect(tampered.status).toBe(401);
  });

  it("rejects a signature whose date is more than 5 minutes off", async () => {
    const skewed = await startEmulator({
      services: [echoService],
      registry: emu.registry,
      wallClock: { now: () => Date.now() + 6 * 60_000, sleep: async () => {} },
    });
    try {
      const uri = `${skewed.url}/20260430/echo/1`;
      const req: common.HttpRequest = { method: "GET", uri, headers: new Headers() };
      await new common.DefaultRequestSigner(provider).signHttpRequest(req);
      const res = await fetch(uri, { headers: req.headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(/5 minutes/);
    } finally {
      await skewed.close();
    }
  });

  it("accepts session-token and resource-principal signatures (keyId ST$…)", async () => {
    const session = new common.SessionAuthDetailProvider(join(dir, "config"), "SESSION");
    expect((await signedFetch(session, "GET", "/20260430/echo/s")).status).toBe(200);
  });
});
