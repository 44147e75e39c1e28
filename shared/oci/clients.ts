import * as common from "oci-common";
import { ObjectStorageClient } from "oci-objectstorage";
import { NotificationDataPlaneClient } from "oci-ons";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry-policy.js";
import type { Deadline } from "../time/deadline.js";
import { sdkRetryConfiguration } from "./sdk-retry.js";

/**
 * Object Storage and Notifications clients built the same way everywhere:
 * - retries follow our `RetryPolicy` and stop before `deadline`
 *   (`sdkRetryConfiguration`); per request, pass `retryConfiguration:
 *   sdkRetryConfiguration(callDeadline)` to bound a call by its own deadline;
 * - no circuit breaker (a breaker shared across calls turns one bad minute into
 *   30 s of `EOPENBREAKER` for unrelated calls, and keeps timers alive);
 * - `endpoint` overrides (the local emulator) are set *after* construction,
 *   because the constructor sets the region from the provider, which resets it.
 * Wrap calls with `toHttpError` to get typed errors.
 *
 * Note: oci-common's retrier writes a `console.warn` line per retried attempt;
 * that cannot be turned off from outside the SDK.
 */
export interface OciClientOptions {
  readonly provider: common.AuthenticationDetailsProvider;
  /** Bounds the clients' default retries (a function passes its `Fn-Deadline`). */
  readonly deadline: Deadline;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retryPolicy?: RetryPolicy;
  /** Region id (e.g. `us-ashburn-1`) when the provider has none or another is wanted. */
  readonly region?: string;
  /** e.g. `http://127.0.0.1:PORT` (emulator). @default the region's endpoint */
  readonly objectStorageEndpoint?: string;
  /** e.g. `http://127.0.0.1:PORT` (emulator; the SDK appends `/20181201`). @default the region's endpoint */
  readonly notificationsEndpoint?: string;
}

export interface OciClients {
  readonly objectStorage: ObjectStorageClient;
  readonly notifications: NotificationDataPlaneClient;
  /** Frees both clients (timers, sockets). Idempotent. */
  close(): void;
}

export function ociClientConfiguration(deadline: Deadline, policy: RetryPolicy = DEFAULT_RETRY_POLICY): common.ClientConfiguration {
  return {
    retryConfiguration: sdkRetryConfiguration(deadline, policy),
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
}

export function createObjectStorageClient(options: OciClientOptions): ObjectStorageClient {
  const client = new ObjectStorageClient({ authenticationDetailsProvider: options.provider }, ociClientConfiguration(options.deadline, options.retryPolicy));
  if (options.region) client.regionId = options.region;
  if (options.objectStorageEndpoint) client.endpoint = options.objectStorageEndpoint;
  return client;
}

export function createNotificationsClient(options: OciClientOptions): NotificationDataPlaneClient {
  const client = new NotificationDataPlaneClient({ authenticationDetailsProvider: options.provider }, ociClientConfiguration(options.deadline, options.retryPolicy));
  if (options.region) client.regionId = options.region;
  if (options.notificationsEndpoint) client.endpoint = options.notificationsEndpoint;
  return client;
}

export function createOciClients(options: OciClientOptions): OciClients {
  const objectStorage = createObjectStorageClient(options);
  const notifications = createNotificationsClient(options);
  let closed = false;
  return {
    objectStorage,
    notifications,
    close() {
      if (closed) return;
      closed = true;
      objectStorage.close();
      notifications.close();
    },
  };
}
