import { startupSnapshot } from "node:v8";
import * as objectStorageSdk from "oci-objectstorage";
import * as notificationsSdk from "oci-ons";
import { loadConfig } from "../shared/config/load-config.js";
import { exportHandler } from "./export/handler.js";
import { pollHandler } from "./poll/handler.js";
import { serve } from "./serve.js";
import { trackHandler } from "./track/handler.js";

/**
 * The entry the image starts from: a V8 startup snapshot. The Dockerfile
 * builds it with the run image's own node (`node --snapshot-blob func.blob
 * --build-snapshot-config snapshot-config.json`) from the one-file CommonJS
 * bundle of this module, dist/snapshot/func-snapshot.cjs, and starts
 * `node --snapshot-blob func.blob`; `npm start` does the same with your node
 * (stack/snapshot-blob.ts).
 *
 * Why: a cold call otherwise spends most of its time compiling and
 * initialising code — oci-common with sshpk/jsonwebtoken, the SDK clients,
 * zod and our schemas (bench/results/cold-start.json). In the snapshot all of
 * it is already initialised in the heap: this module's imports run while the
 * snapshot is *built*, and only `serve` runs when a container starts.
 *
 * What the snapshot must not hold, and doesn't:
 * - runtime state: the environment (config, resource-principal variables,
 *   function name) is read in `serve`, after deserialisation; nothing reads
 *   it at module load;
 * - randomness: V8 reseeds Math.random on deserialisation, but random bytes
 *   drawn while building would be replayed by every container (Node 20's
 *   crypto.randomUUID cache, the uuid package's pool that oci-common uses),
 *   so nothing here may draw any (test/e2e/snapshot.test.ts compares the ids
 *   of containers started from one blob);
 * - `http`/`https`/`tls`/`net`: they hold native handles a snapshot can't
 *   serialise, so the snapshot bundle gets lazy stand-ins for those modules
 *   (scripts/build-options.mjs), and minipass-fetch, which reads `http` at
 *   module load, is itself loaded on first use (scripts/shims/lazy-fetch.cjs).
 *   Nothing uses Node's global fetch (undici), which can't be snapshotted
 *   either (shared/http/transport.ts).
 *
 * Run as a plain script (`node func-snapshot.cjs`) it serves at once: same
 * behaviour, no snapshot.
 */
/**
 * Runs while the snapshot is built. The handlers `import()` the SDK clients
 * and the config check on first use; in this bundle those resolve to the
 * modules initialised here (the references also keep the bundler from
 * dropping them). One validation of an empty environment (all defaults) runs
 * the config schema once, so zod's lazily built parsers are in the snapshot
 * too. Nothing it creates is kept: the adapter validates the real environment
 * on the first call.
 */
function prime(): void {
  if (typeof objectStorageSdk.ObjectStorageClient !== "function" || typeof notificationsSdk.NotificationDataPlaneClient !== "function") {
    throw new Error("the OCI SDK clients did not load into the snapshot");
  }
  loadConfig({});
}

const start = () =>
  serve({
    poll: () => Promise.resolve(pollHandler),
    track: () => Promise.resolve(trackHandler),
    export: () => Promise.resolve(exportHandler),
  });

if (startupSnapshot.isBuildingSnapshot()) {
  prime();
  startupSnapshot.setDeserializeMainFunction(start);
} else {
  start();
}
