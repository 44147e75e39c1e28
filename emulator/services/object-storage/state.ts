import type { Clock } from "../../../shared/time/clock.js";
import { ServiceError } from "../../http/service-error.js";
import type { EmuRequest } from "../../http/types.js";
import type { KeyedMutex } from "./keyed-mutex.js";
import type { MultipartUploads } from "./multipart-uploads.js";
import { validateObjectName } from "./object-name.js";
import type { ObjectStore } from "./object-store.js";

/** What every Object Storage route handler works on. */
export interface ObjectStorageState {
  readonly namespace: string;
  readonly store: ObjectStore;
  /** Serialises check-and-commit per `bucket/object`. */
  readonly locks: KeyedMutex;
  readonly uploads: MultipartUploads;
  readonly clock: Clock;
}

export function resolveBucket(state: ObjectStorageState, req: EmuRequest): string {
  const ns = req.params.namespaceName;
  if (ns !== state.namespace)
    throw new ServiceError(
      404,
      "NamespaceNotFound",
      `You do not have authorization to perform this request, or the requested resource could not be found (namespace ${ns})`,
    );
  const bucket = req.params.bucketName!;
  if (!state.store.hasBucket(bucket))
    throw new ServiceError(
      404,
      "BucketNotFound",
      `Either the bucket named '${bucket}' does not exist in the namespace '${ns}' or you are not authorized to access it`,
    );
  return bucket;
}

export function resolveObject(state: ObjectStorageState, req: EmuRequest): { bucket: string; name: string; key: string } {
  const bucket = resolveBucket(state, req);
  const name = req.params.objectName!;
  validateObjectName(name);
  return { bucket, name, key: `${bucket}/${name}` };
}

export function objectNotFound(bucket: string, name: string): ServiceError {
  return new ServiceError(404, "ObjectNotFound", `The object '${name}' was not found in the bucket '${bucket}'`);
}

export function nowIso(state: ObjectStorageState): string {
  return new Date(state.clock.now()).toISOString();
}
