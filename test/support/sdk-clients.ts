import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as common from "oci-common";
import { ObjectStorageClient } from "oci-objectstorage";
import { NotificationDataPlaneClient } from "oci-ons";
import { ociClientConfiguration } from "../../shared/oci/clients.js";
import type { Clock } from "../../shared/time/clock.js";
import { provisionCredentials } from "../../emulator/credentials.js";
import { type Emulator, type EmulatorContext, type EmulatorService, startEmulator } from "../../emulator/server.js";

/**
 * Real OCI SDK clients pointed at a local emulator, configured exactly as the
 * functions configure theirs (`ociClientConfiguration`: no SDK retries, no
 * circuit breaker, each request aborted with its attempt).
 */
export function clientConfiguration(extra: Partial<common.ClientConfiguration> = {}): common.ClientConfiguration {
  return { ...ociClientConfiguration(), ...extra };
}

export function objectStorageClient(
  provider: common.AuthenticationDetailsProvider,
  endpoint: string,
  extra?: Partial<common.ClientConfiguration>,
): ObjectStorageClient {
  const client = new ObjectStorageClient({ authenticationDetailsProvider: provider }, clientConfiguration(extra));
  client.endpoint = endpoint;
  return client;
}

export function onsClient(
  provider: common.AuthenticationDetailsProvider,
  endpoint: string,
  extra?: Partial<common.ClientConfiguration>,
): NotificationDataPlaneClient {
  const client = new NotificationDataPlaneClient({ authenticationDetailsProvider: provider }, clientConfiguration(extra));
  client.endpoint = endpoint;
  return client;
}

export interface EmulatorFixture {
  readonly emu: Emulator;
  readonly dir: string;
  readonly provider: common.ConfigFileAuthenticationDetailsProvider;
  close(): Promise<void>;
}

/** Starts an emulator with `services`, provisions credentials in a temp folder and returns an API-key provider. */
export async function startEmulatorFixture(
  services: Array<(ctx: EmulatorContext) => EmulatorService>,
  options: { dataDir?: string; clock?: Clock } = {},
): Promise<EmulatorFixture> {
  const emu = await startEmulator({ services, ...options });
  const dir = mkdtempSync(join(tmpdir(), "aidp-emu-test-"));
  const creds = provisionCredentials(dir, emu.registry);
  const provider = new common.ConfigFileAuthenticationDetailsProvider(creds.configFile, "DEFAULT");
  return {
    emu,
    dir,
    provider,
    async close() {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The web ReadableStream (or Node Readable) of a getObject answer, fully read. */
export async function readBody(value: unknown): Promise<Buffer> {
  return Buffer.from(await new Response(value as ReadableStream).arrayBuffer());
}

/** The `OciError` (or other rejection) of `p`, failing if it resolves. */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ statusCode?: number; serviceCode?: string; opcRequestId?: string; message?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { statusCode?: number; serviceCode?: string; opcRequestId?: string; message?: string };
  }
  throw new Error("expected the call to fail");
}
