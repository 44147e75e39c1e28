import type { ObjectMeta, StoredObject } from "./object-meta.js";
import type { ObjectStore } from "./object-store.js";
import { SortedNames } from "./sorted-names.js";

interface Bucket {
  readonly objects: Map<string, StoredObject>;
  readonly index: SortedNames;
}

/** The default store: everything in memory, gone when the emulator stops. */
export class MemoryObjectStore implements ObjectStore {
  private readonly buckets = new Map<string, Bucket>();

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  createBucket(bucket: string): void {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, { objects: new Map(), index: new SortedNames() });
  }

  head(bucket: string, name: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.objects.get(name)?.meta;
  }

  read(bucket: string, name: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.objects.get(name);
  }

  names(bucket: string): SortedNames | undefined {
    return this.buckets.get(bucket)?.index;
  }

  async write(bucket: string, meta: ObjectMeta, chunks: readonly Buffer[]): Promise<void> {
    const b = this.buckets.get(bucket);
    if (!b) throw new Error(`no bucket ${bucket}`);
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    b.objects.set(meta.name, { meta, body });
    b.index.add(meta.name);
  }

  async remove(bucket: string, name: string): Promise<void> {
    const b = this.buckets.get(bucket);
    if (!b) return;
    b.objects.delete(name);
    b.index.delete(name);
  }
}
