import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../../emulator/services/object-storage/index.js";
import { AidpClient } from "../../../shared/aidp/aidp-client.js";
import { type AuthProvider, createAuthProvider } from "../../../shared/auth/create-auth-provider.js";
import { retryPolicy } from "../../../shared/http/retry-policy.js";
import { createObjectStorageClient } from "../../../shared/oci/clients.js";
import { OciObjectStore } from "../../../shared/storage/oci-object-store.js";
import type { Clock } from "../../../shared/time/clock.js";

/**
 * An emulator with AIDP and Object Storage (buckets `out` and `state`), and
 * the real adapters pointed at it: `AidpClient` and `OciObjectStore` over
 * `oci-objectstorage`, with short retry waits so fault tests run fast.
 */
export const PLATFORM = "ocid1.aidataplatform.oc1.iad.exporttest";
export const WS = "ws-export";
export const OUT_BUCKET = "out";
export const STATE_BUCKET = "state";
export const FAST_RETRIES = retryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });

export interface ExportHarness {
  readonly emu: Emulator;
  readonly aidp: AidpEmulator;
  readonly os: ObjectStorageEmulator;
  readonly provider: AuthProvider;
  readonly client: AidpClient;
  readonly outStore: OciObjectStore;
  readonly stateStore: OciObjectStore;
  readonly dir: string;
  /** Puts and multipart calls seen by Object Storage (writes). */
  osWrites(): number;
  close(): Promise<void>;
}

export async function startExportHarness(options: { clock?: Clock; partSize?: number } = {}): Promise<ExportHarness> {
  const emu = await startEmulator({
    ...(options.clock ? { clock: options.clock } : {}),
    services: [aidpService({ platforms: [PLATFORM] }), objectStorageService({ buckets: [OUT_BUCKET, STATE_BUCKET] })],
  });
  const dir = mkdtempSync(join(tmpdir(), "aidp-export-"));
  const provider = await createAuthProvider({ configFile: provisionCredentials(dir, emu.registry).configFile, env: {} });
  const client = new AidpClient({ provider, endpoint: emu.url, retryPolicy: FAST_RETRIES });
  const osClient = await createObjectStorageClient({ provider, objectStorageEndpoint: emu.url });
  const os = emu.service<ObjectStorageEmulator>("objectstorage");
  const store = (bucket: string) =>
    new OciObjectStore({
      client: osClient,
      namespace: os.namespace,
      bucket,
      retryPolicy: FAST_RETRIES,
      ...(options.partSize ? { partSize: options.partSize } : {}),
    });
  return {
    emu,
    aidp: emu.service<AidpEmulator>("aidp"),
    os,
    provider,
    client,
    outStore: store(OUT_BUCKET),
    stateStore: store(STATE_BUCKET),
    dir,
    osWrites: () =>
      ["os.putObject", "os.createMultipartUpload", "os.uploadPart", "os.commitMultipartUpload"].reduce((n, r) => n + emu.stats.count(r), 0),
    async close() {
      osClient.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
