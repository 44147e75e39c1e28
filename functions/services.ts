/**
 * The adapters a function needs, built from configuration once per container
 * (Fn reuses a container for many calls; the provider, clients and the
 * Object Storage namespace are worth keeping), with endpoint overrides for the
 * local emulator. The CLI builds the same with its own auth options.
 */
import { AidpClient } from "../shared/aidp/aidp-client.js";
import { AidpControlPlane } from "../shared/aidp/control-plane.js";
import type { AuthProvider } from "../shared/auth/create-auth-provider.js";
import { createAuthProvider } from "../shared/auth/create-auth-provider.js";
import type { Config } from "../shared/config/config-schema.js";
import type { Logger } from "../shared/log/logger.js";
import type { Notifier } from "../shared/notify/notifier.js";
import { OciNotifier } from "../shared/notify/oci-notifier.js";
import { createOciClients, type OciClients } from "../shared/oci/clients.js";
import { type FunctionInvoker, OciFunctionInvoker } from "../shared/oci/function-invoker.js";
import type { ObjectStore } from "../shared/storage/object-store.js";
import { OciObjectStore } from "../shared/storage/oci-object-store.js";
import type { Clock } from "../shared/time/clock.js";
import type { Deadline } from "../shared/time/deadline.js";
import type { OperationSource } from "../shared/watch/operation-source.js";
import { PlatformDirectory } from "../shared/watch/platform-directory.js";
import { AidpOperationSource } from "./aidp-operation-source.js";

export interface Services {
  readonly aidp: AidpClient;
  readonly source: OperationSource;
  readonly stateStore: ObjectStore;
  /** The output bucket (`AIDP_WATCH_OUTPUT_BUCKET`), when configured (export). */
  readonly outputStore: ObjectStore | undefined;
  /** The Object Storage namespace both buckets are in (`AIDP_WATCH_NAMESPACE`, else looked up). */
  readonly namespace: string;
  readonly notifier: Notifier | undefined;
  readonly region: string | undefined;
  /** The platforms of `AIDP_WATCH_COMPARTMENT_IDS` (cached per container), when any compartment is configured. */
  readonly platformDirectory?: PlatformDirectory | undefined;
  /** Detached invocations of a function (the poll fan-out over shards); the `oci-functions` client is built on first use. */
  readonly functionInvoker?: FunctionInvoker | undefined;
  close(): void;
}

export interface ServiceOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Bounds the one-off GetNamespace call. */
  readonly deadline: Deadline;
  /** CLI: `--config-file` / `--profile`. */
  readonly configFile?: string;
  readonly profile?: string;
  readonly env?: Record<string, string | undefined>;
  /** How long the discovered platforms' list is kept. @default PLATFORM_LIST_TTL_MS (5 minutes) */
  readonly platformListTtlMs?: number;
}

export async function buildServices(options: ServiceOptions): Promise<Services> {
  const { config } = options;
  const provider: AuthProvider = await createAuthProvider({
    auth: config.AIDP_WATCH_AUTH,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const region = regionOf(provider);
  const aidp = new AidpClient({ provider, endpoint: config.AIDP_WATCH_AIDP_ENDPOINT, clock: options.clock, logger: options.logger });
  // The clients carry no deadline of their own: every call is bounded by the
  // deadline its invocation passes (sdkCall), however old the container is.
  const clients: OciClients = createOciClients({
    provider,
    objectStorageEndpoint: config.AIDP_WATCH_OBJECT_STORAGE_ENDPOINT,
    notificationsEndpoint: config.AIDP_WATCH_NOTIFICATIONS_ENDPOINT,
    controlPlaneEndpoint: config.AIDP_WATCH_CONTROL_PLANE_ENDPOINT,
    invokeEndpoint: config.AIDP_WATCH_INVOKE_ENDPOINT,
  });
  try {
    const bucket = config.AIDP_WATCH_STATE_BUCKET;
    if (!bucket) throw new Error("AIDP_WATCH_STATE_BUCKET is not set");
    // Every function reads or writes a bucket; the Notifications client (and oci-ons) is built on the first publish.
    const objectStorage = await clients.objectStorage();
    const namespace =
      config.AIDP_WATCH_NAMESPACE ?? (await OciObjectStore.resolveNamespace(objectStorage, options.deadline, undefined, options.logger));
    const stateStore = new OciObjectStore({ client: objectStorage, namespace, bucket, logger: options.logger });
    const notifier = config.AIDP_WATCH_TOPIC_ID
      ? new OciNotifier({ client: () => clients.notifications(), topicId: config.AIDP_WATCH_TOPIC_ID, logger: options.logger })
      : undefined;
    const outputBucket = config.AIDP_WATCH_OUTPUT_BUCKET;
    const outputStore = outputBucket
      ? new OciObjectStore({ client: objectStorage, namespace, bucket: outputBucket, logger: options.logger })
      : undefined;
    const controlPlane = new AidpControlPlane(() => clients.aiDataPlatform());
    const platformDirectory =
      config.AIDP_WATCH_COMPARTMENT_IDS.length > 0
        ? new PlatformDirectory({
            compartmentIds: config.AIDP_WATCH_COMPARTMENT_IDS,
            list: (compartmentId, o) => controlPlane.listPlatforms(compartmentId, o),
            clock: options.clock,
            logger: options.logger,
            ...(options.platformListTtlMs === undefined ? {} : { ttlMs: options.platformListTtlMs }),
          })
        : undefined;
    const functionInvoker = new OciFunctionInvoker(() => clients.functionsInvoke());
    return {
      aidp,
      source: new AidpOperationSource(aidp),
      stateStore,
      outputStore,
      namespace,
      notifier,
      region,
      platformDirectory,
      functionInvoker,
      close: () => clients.close(),
    };
  } catch (err) {
    clients.close();
    throw err;
  }
}

function regionOf(provider: AuthProvider): string | undefined {
  const p = provider as Partial<{ getRegion(): { regionId?: string } | undefined }>;
  try {
    return typeof p.getRegion === "function" ? p.getRegion()?.regionId : undefined;
  } catch {
    return undefined;
  }
}

let cached: { key: string; services: Promise<Services> } | undefined;

/**
 * `buildServices` once per container: later calls with the same configuration
 * get the same instance. A failed build is not kept (the next call retries).
 */
export function containerServices(options: ServiceOptions): Promise<Services> {
  const key = JSON.stringify([options.config, options.configFile, options.profile]);
  if (cached?.key === key) return cached.services;
  cached?.services.then((s) => s.close()).catch(() => {});
  const services = buildServices(options);
  cached = { key, services };
  services.catch(() => {
    if (cached?.services === services) cached = undefined;
  });
  return services;
}
