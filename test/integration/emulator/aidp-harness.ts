import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import { provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { FakeClock } from "../../support/fake-clock.js";

export interface SignedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (throws when it isn't JSON). */
  json<T = Record<string, unknown>>(): T;
}

export interface AidpHarness {
  readonly emu: Emulator;
  readonly aidp: AidpEmulator;
  readonly clock: FakeClock;
  /** A request signed by oci-common's DefaultRequestSigner with the provisioned API key. */
  call(method: common.Method, path: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<SignedResponse>;
  close(): Promise<void>;
}

/** An emulator with only the AIDP service, a fake clock and signed-request helper. */
export async function startAidpHarness(platforms: string[] = []): Promise<AidpHarness> {
  const clock = new FakeClock();
  const emu = await startEmulator({ clock, services: [aidpService({ platforms })] });
  const dir = mkdtempSync(join(tmpdir(), "aidp-emu-"));
  const creds = provisionCredentials(dir, emu.registry);
  const provider = new common.ConfigFileAuthenticationDetailsProvider(creds.configFile, "DEFAULT");
  const signer = new common.DefaultRequestSigner(provider);
  return {
    emu,
    aidp: emu.service<AidpEmulator>("aidp"),
    clock,
    async call(method, path, opts = {}) {
      const uri = `${emu.url}${path}`;
      const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      const headers = new Headers({ ...(body === undefined ? {} : { "content-type": "application/json" }), ...opts.headers });
      const req: common.HttpRequest = { method, uri, headers, body };
      await signer.signHttpRequest(req);
      const res = await fetch(uri, { method, headers: req.headers, body });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
    },
    async close() {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
