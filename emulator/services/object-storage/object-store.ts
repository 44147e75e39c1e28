/**
 * Where the emulator keeps buckets and objects. Callers serialise writes to
 * one object themselves (see `KeyedMutex`); a store only has to make each
 * `write`/`remove` atomic: a reader sees the old object or the new one.
 */
import type { ObjectMeta, StoredObject } from "./object-meta.js";
import type { SortedNames } from "./sorted-names.js";

export interface ObjectStore {
  bucketNames(): string[];
  hasBucket(bucket: string): boolean;
  createBucket(bucket: string): void;
  head(bucket: string, name: string): ObjectMeta | undefined;
  read(bucket: string, name: string): StoredObject | undefined;
  /** Sorted names of the bucket (empty if the bucket doesn't exist). */
  names(bucket: string): SortedNames | undefined;
  /** Stores `chunks` (concatenated) as the object `meta.name`, replacing any previous version. */
  write(bucket: string, meta: ObjectMeta, chunks: readonly Buffer[]): Promise<void>;
  remove(bucket: string, name: string): Promise<void>;
}
