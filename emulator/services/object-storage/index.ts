/**
 * Object Storage (native API, `/n/{namespace}/b/{bucket}/o/{object}`), faithful
 * enough for the real `oci-objectstorage` client and its `UploadManager`.
 * In memory by default; with the emulator's `dataDir`, objects persist under
 * `<dataDir>/objectstorage/<namespace>/` (see `FileObjectStore`).
 *
 * Admin (unauthenticated) routes under `/_emulator/objectstorage`:
 * `GET /buckets`, `POST /buckets/:bucket`, `GET /buckets/:bucket/objects?prefix=`.
 */
import { join } from "node:path";
import type { Logger } from "../../../shared/log/logger.js";
import { ServiceError } from "../../http/service-error.js";
import type { RouteDef } from "../../http/types.js";
import type { EmulatorContext, EmulatorService } from "../../server.js";
import { FileObjectStore } from "./file-object-store.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { MemoryObjectStore } from "./memory-object-store.js";
import { multipartRoutes } from "./multipart-handlers.js";
import { MultipartUploads } from "./multipart-uploads.js";
import { parRoutes } from "./par-routes.js";
import { objectRoutes } from "./object-handlers.js";
import { isValidBucketName } from "./object-name.js";
import type { ObjectStore } from "./object-store.js";
import type { ObjectStorageState } from "./state.js";

export const DEFAULT_NAMESPACE = "aidpwatch";

export interface ObjectStorageOptions {
  /** @default "aidpwatch" */
  namespace?: string;
  /** Buckets created at start (existing ones are kept). */
  buckets?: string[];
  /** Where persistence problems (skipped corrupt files) are reported. */
  logger?: Logger;
}

export interface ObjectStorageEmulator extends EmulatorService {
  createBucket(name: string): void;
  getObject(bucket: string, name: string): { body: Buffer; etag: string; contentType?: string; meta: Record<string, string> } | undefined;
  listObjectNames(bucket: string, prefix?: string): string[];
  readonly namespace: string;
}

export function objectStorageService(options: ObjectStorageOptions = {}): (ctx: EmulatorContext) => ObjectStorageEmulator {
  return (ctx) => {
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    const store: ObjectStore =
      ctx.dataDir === undefined
        ? new MemoryObjectStore()
        : new FileObjectStore(join(ctx.dataDir, "objectstorage", encodeURIComponent(namespace)), options.logger);
    const state: ObjectStorageState = { namespace, store, locks: new KeyedMutex(), uploads: new MultipartUploads(), clock: ctx.clock };

    const createBucket = (name: string): void => {
      if (!isValidBucketName(name)) throw new ServiceError(400, "InvalidBucketName", `Invalid bucket name '${name}'`);
      store.createBucket(name);
    };
    for (const b of options.buckets ?? []) createBucket(b);

    const listObjectNames = (bucket: string, prefix = ""): string[] => (store.names(bucket)?.all ?? []).filter((n) => n.startsWith(prefix));

    const adminRoutes = (): RouteDef[] => [
      {
        method: "GET",
        pattern: "/buckets",
        name: "osAdmin.listBuckets",
        handler: () => ({ status: 200, body: { namespace, buckets: store.bucketNames() } }),
      },
      {
        method: "POST",
        pattern: "/buckets/:bucket",
        name: "osAdmin.createBucket",
        handler: (req) => {
          createBucket(req.params.bucket!);
          return { status: 200, body: { namespace, bucket: req.params.bucket } };
        },
      },
      {
        method: "GET",
        pattern: "/buckets/:bucket/objects",
        name: "osAdmin.listObjects",
        handler: (req) => {
          const bucket = req.params.bucket!;
          if (!store.hasBucket(bucket)) throw new ServiceError(404, "BucketNotFound", `No bucket '${bucket}'`);
          const objects = listObjectNames(bucket, req.query.get("prefix") ?? "").map((name) => {
            const m = store.head(bucket, name)!;
            return { name, size: m.size, etag: m.etag, contentType: m.contentType, timeModified: m.timeModified, meta: m.meta };
          });
          return { status: 200, body: { bucket, objects } };
        },
      },
    ];

    return {
      name: "objectstorage",
      namespace,
      routes: () => [...objectRoutes(state), ...multipartRoutes(state), ...parRoutes(state, ctx.clock)],
      adminRoutes,
      createBucket,
      getObject(bucket, name) {
        const obj = store.read(bucket, name);
        if (!obj) return undefined;
        return { body: obj.body, etag: obj.meta.etag, contentType: obj.meta.contentType, meta: { ...obj.meta.meta } };
      },
      listObjectNames,
    };
  };
}
