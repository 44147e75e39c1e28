/**
 * Requests per service of one invocation's watch work, so every summary shows
 * what the loop costs. Counted at the adapters, per logical request: an AIDP
 * list page or GET, an Object Storage get/head/put/delete/listing, an ONS
 * publish. Retries inside a request are not counted again (they are bounded
 * by the request's deadline and rare); an Object Storage listing counts once
 * however many pages it reads (state listings are one page in practice).
 */
import type { Notifier } from "../shared/notify/notifier.js";
import type { ObjectStore } from "../shared/storage/object-store.js";
import type { OperationSource } from "../shared/watch/operation-source.js";
import type { Services } from "./services.js";

export interface CallCounts {
  aidp: number;
  objectStorage: number;
  notifications: number;
}

export interface CountedServices {
  readonly services: Services;
  readonly counts: Readonly<CallCounts>;
}

/** The same services, counting each request. The container's services stay untouched (one counter per invocation). */
export function countCalls(services: Services): CountedServices {
  const counts: CallCounts = { aidp: 0, objectStorage: 0, notifications: 0 };
  const source: OperationSource = {
    listPages(platformId, query, options) {
      const pages = services.source.listPages(platformId, query, options);
      return {
        async *[Symbol.asyncIterator]() {
          const it = pages[Symbol.asyncIterator]();
          try {
            for (;;) {
              counts.aidp++;
              const next = await it.next();
              if (next.done) {
                // The iterator ended without a request (no next page): not a call.
                counts.aidp--;
                return;
              }
              yield next.value;
            }
          } finally {
            await it.return?.();
          }
        },
      };
    },
    get(platformId, key, options) {
      counts.aidp++;
      return services.source.get(platformId, key, options);
    },
  };
  const counted =
    (service: keyof CallCounts) =>
    <T>(request: () => T): T => {
      counts[service]++;
      return request();
    };
  const os = counted("objectStorage");
  const store = (s: ObjectStore): ObjectStore => ({
    bucket: s.bucket,
    get: (name, o) => os(() => s.get(name, o)),
    head: (name, o) => os(() => s.head(name, o)),
    put: (name, body, o) => os(() => s.put(name, body, o)),
    putStream: (name, body, o) => os(() => s.putStream(name, body, o)),
    delete: (name, o) => os(() => s.delete(name, o)),
    list: (prefix, o) => os(() => s.list(prefix, o)),
  });
  const ons = counted("notifications");
  const notifier = (n: Notifier): Notifier => ({ publish: (message, o) => ons(() => n.publish(message, o)) });
  return {
    counts,
    // Everything else (control plane, function invoker, close) is the container's own.
    services: {
      ...services,
      source,
      stateStore: store(services.stateStore),
      outputStore: services.outputStore ? store(services.outputStore) : undefined,
      namespace: services.namespace,
      notifier: services.notifier ? notifier(services.notifier) : undefined,
      close: () => services.close(),
    },
  };
}
