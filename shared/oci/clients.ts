/**
 * Object Storage, Notifications, AIDP control-plane and Functions-invoke
 * clients built the same way everywhere:
 * - the SDK's retrier is off (`NoRetryConfigurationDetails`): every call goes
 *   through our one retry loop (`sdkCall` → `callWithRetry`), bounded by that
 *   call's deadline. The client itself carries no deadline, so one built for
 *   the first invocation of a container serves every later one the same;
 * - each request takes the abort signal of the attempt it runs in
 *   (`httpOptions.signal`, a getter read per request, see attempt-scope.ts):
 *   a timed-out attempt closes its socket instead of being left to hang;
 * - requests go through our transport (minipass-fetch with Node's agents,
 *   shared/http/transport.ts): oci-common sends a request whose
 *   `httpOptions` carry a Node `agent` through `node-fetch` (overridden with
 *   minipass-fetch in package.json) instead of the
 *   global fetch, whose first use loads undici (a cold start's largest cost);
 * - no circuit breaker (a breaker shared across calls turns one bad minute into
 *   30 s of `EOPENBREAKER` for unrelated calls, and keeps timers alive);
 *   test/integration/http/oci-clients.test.ts checks it never opens, with the
 *   SDK's breaker left on by default as in production;
 * - `endpoint` overrides (the local emulator) are set *after* construction,
 *   because the constructor sets the region from the provider, which resets it.
 * Wrap calls with `toHttpError` to get typed errors.
 *
 * `oci-objectstorage`, `oci-ons`, `oci-aidataplatform` and `oci-functions` are
 * imported when the first client of each is built (they are big; a function
 * that never publishes never loads `oci-ons`, one that neither discovers
 * platforms nor fans out never loads the other two), so the factories are async.
 *
 * Note: oci-common's retrier still writes a `console.warn` line for every
 * failed request ("Request cannot be retried…"); console-bridge.ts keeps those
 * at debug level.
 */
import * as common from "oci-common";
import type { AiDataPlatformClient } from "oci-aidataplatform";
import type { FunctionsInvokeClient } from "oci-functions";
import type { ObjectStorageClient } from "oci-objectstorage";
import type { NotificationDataPlaneClient } from "oci-ons";
import { currentAttemptSignal } from "../http/attempt-scope.js";
import { nodeAgent } from "../http/transport.js";

export interface OciClientOptions {
  readonly provider: common.AuthenticationDetailsProvider;
  /** Region id (e.g. `us-ashburn-1`) when the provider has none or another is wanted. */
  readonly region?: string;
  /** e.g. `http://127.0.0.1:PORT` (emulator). @default the region's endpoint */
  readonly objectStorageEndpoint?: string;
  /** e.g. `http://127.0.0.1:PORT` (emulator; the SDK appends `/20181201`). @default the region's endpoint */
  readonly notificationsEndpoint?: string;
  /** AIDP control plane, e.g. `http://127.0.0.1:PORT` (emulator; the SDK appends `/20240831`). @default the region's endpoint */
  readonly controlPlaneEndpoint?: string;
  /** A function's invoke endpoint (the SDK appends `/20181201`). @default the region's Functions endpoint */
  readonly invokeEndpoint?: string;
}

export interface OciClients {
  /** Built (loading `oci-objectstorage`) on first use; the same client afterwards. */
  objectStorage(): Promise<ObjectStorageClient>;
  /** Built (loading `oci-ons`) on first use; the same client afterwards. */
  notifications(): Promise<NotificationDataPlaneClient>;
  /** Built (loading `oci-aidataplatform`) on first use; the same client afterwards. */
  aiDataPlatform(): Promise<AiDataPlatformClient>;
  /** Built (loading `oci-functions`) on first use; the same client afterwards. */
  functionsInvoke(): Promise<FunctionsInvokeClient>;
  /** Frees the clients built so far, and any still being built (timers, sockets). Idempotent. */
  close(): void;
}

/**
 * oci-common copies `httpOptions` into every fetch's options with
 * `Object.assign`, which reads getters: `signal` is therefore the signal of
 * the attempt the request is sent from, looked up per request.
 */
export function sdkHttpOptions(): { agent: typeof nodeAgent; readonly signal: AbortSignal | undefined } {
  return {
    agent: nodeAgent,
    get signal() {
      return currentAttemptSignal();
    },
  };
}

export function ociClientConfiguration(): common.ClientConfiguration {
  return {
    retryConfiguration: common.NoRetryConfigurationDetails,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    httpOptions: sdkHttpOptions(),
  };
}

export async function createObjectStorageClient(options: OciClientOptions): Promise<ObjectStorageClient> {
  const sdk = await import("oci-objectstorage");
  // CommonJS through import(): Node and unsplit bundles give named exports; esbuild's split chunks only `default` (module.exports).
  const ObjectStorageClient = sdk.ObjectStorageClient ?? sdk.default.ObjectStorageClient;
  const client = new ObjectStorageClient({ authenticationDetailsProvider: options.provider }, ociClientConfiguration());
  if (options.region) client.regionId = options.region;
  if (options.objectStorageEndpoint) client.endpoint = options.objectStorageEndpoint;
  return client;
}

export async function createNotificationsClient(options: OciClientOptions): Promise<NotificationDataPlaneClient> {
  const sdk = await import("oci-ons");
  const NotificationDataPlaneClient = sdk.NotificationDataPlaneClient ?? sdk.default.NotificationDataPlaneClient;
  const client = new NotificationDataPlaneClient({ authenticationDetailsProvider: options.provider }, ociClientConfiguration());
  if (options.region) client.regionId = options.region;
  if (options.notificationsEndpoint) client.endpoint = options.notificationsEndpoint;
  return client;
}

export async function createAiDataPlatformClient(options: OciClientOptions): Promise<AiDataPlatformClient> {
  const sdk = await import("oci-aidataplatform");
  const AiDataPlatformClient = sdk.AiDataPlatformClient ?? sdk.default.AiDataPlatformClient;
  const client = new AiDataPlatformClient({ authenticationDetailsProvider: options.provider }, ociClientConfiguration());
  if (options.region) client.regionId = options.region;
  if (options.controlPlaneEndpoint) client.endpoint = options.controlPlaneEndpoint;
  return client;
}

export async function createFunctionsInvokeClient(options: OciClientOptions): Promise<FunctionsInvokeClient> {
  const sdk = await import("oci-functions");
  const FunctionsInvokeClient = sdk.FunctionsInvokeClient ?? sdk.default.FunctionsInvokeClient;
  const client = new FunctionsInvokeClient({ authenticationDetailsProvider: options.provider }, ociClientConfiguration());
  // Not a regional client: every function has its own invoke endpoint.
  if (options.invokeEndpoint) client.endpoint = options.invokeEndpoint;
  return client;
}

/** A client built on first use; `close` frees it once built (now, or when its build finishes). */
function lazyClient<C extends { close(): void }>(create: () => Promise<C>) {
  let built: Promise<C> | undefined;
  let closed = false;
  return {
    get(): Promise<C> {
      if (closed) return Promise.reject(new Error("the OCI clients are closed"));
      if (!built) {
        const b = create();
        // A failed build is not kept: the next use tries again.
        b.catch(() => {
          if (built === b) built = undefined;
        });
        built = b;
      }
      return built;
    },
    close(): void {
      if (closed) return;
      closed = true;
      built?.then((c) => c.close()).catch(() => {});
    },
  };
}

export function createOciClients(options: OciClientOptions): OciClients {
  const objectStorage = lazyClient(() => createObjectStorageClient(options));
  const notifications = lazyClient(() => createNotificationsClient(options));
  const aiDataPlatform = lazyClient(() => createAiDataPlatformClient(options));
  const functionsInvoke = lazyClient(() => createFunctionsInvokeClient(options));
  return {
    objectStorage: () => objectStorage.get(),
    notifications: () => notifications.get(),
    aiDataPlatform: () => aiDataPlatform.get(),
    functionsInvoke: () => functionsInvoke.get(),
    close() {
      objectStorage.close();
      notifications.close();
      aiDataPlatform.close();
      functionsInvoke.close();
    },
  };
}
