/**
 * `--data-dir` store. One file per object, `<root>/<bucket>/<sha256(name)>.obj`,
 * holding both halves so they can never disagree:
 *
 *     "AWOS1\n" | uint32 BE length of meta JSON | meta JSON | body
 *
 * A write goes to a temp file in the same folder, is fsynced, renamed over the
 * old file (atomic on POSIX) and the folder is fsynced; a crash leaves either
 * the old file or the new one, plus maybe a `.tmp-*` file removed at the next
 * start. Files are hashed names because object names may be 1024 characters
 * and contain `/`. Metadata is indexed in memory; bodies are read on demand.
 */
import { createHash, randomUUID } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type Logger, silentLogger } from "../../../shared/log/logger.js";
import { type ObjectMeta, ObjectMetaSchema, type StoredObject } from "./object-meta.js";
import type { ObjectStore } from "./object-store.js";
import { ObjectStoreError } from "./object-store-error.js";
import { SortedNames } from "./sorted-names.js";

const MAGIC = Buffer.from("AWOS1\n");
const HEADER_BYTES = MAGIC.length + 4;

interface Entry {
  readonly meta: ObjectMeta;
  readonly file: string;
}
interface Bucket {
  readonly dir: string;
  readonly objects: Map<string, Entry>;
  readonly index: SortedNames;
}

export class FileObjectStore implements ObjectStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly root: string,
    private readonly logger: Logger = silentLogger,
  ) {
    mkdirSync(root, { recursive: true });
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory()) this.loadBucket(decodeURIComponent(entry.name));
    }
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  createBucket(bucket: string): void {
    if (this.buckets.has(bucket)) return;
    const dir = join(this.root, encodeURIComponent(bucket));
    mkdirSync(dir, { recursive: true });
    fsyncDir(this.root);
    this.buckets.set(bucket, { dir, objects: new Map(), index: new SortedNames() });
  }

  head(bucket: string, name: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.objects.get(name)?.meta;
  }

  read(bucket: string, name: string): StoredObject | undefined {
    const entry = this.buckets.get(bucket)?.objects.get(name);
    if (!entry) return undefined;
    const data = readFileSync(entry.file);
    const { meta, bodyOffset } = parseHeader(data, entry.file);
    return { meta, body: data.subarray(bodyOffset) };
  }

  names(bucket: string): SortedNames | undefined {
    return this.buckets.get(bucket)?.index;
  }

  async write(bucket: string, meta: ObjectMeta, chunks: readonly Buffer[]): Promise<void> {
    const b = this.buckets.get(bucket);
    if (!b) throw new ObjectStoreError("bucket does not exist", { context: { bucket } });
    const metaJson = Buffer.from(JSON.stringify(meta));
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header);
    header.writeUInt32BE(metaJson.length, MAGIC.length);
    const file = join(b.dir, `${fileKey(meta.name)}.obj`);
    const tmp = join(b.dir, `.tmp-${randomUUID()}`);
    const fh = await open(tmp, "wx", 0o600);
    try {
      for (const chunk of [header, metaJson, ...chunks]) {
        let offset = 0;
        while (offset < chunk.length) offset += (await fh.write(chunk, offset, chunk.length - offset)).bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    fsyncDir(b.dir);
    b.objects.set(meta.name, { meta, file });
    b.index.add(meta.name);
  }

  async remove(bucket: string, name: string): Promise<void> {
    const b = this.buckets.get(bucket);
    const entry = b?.objects.get(name);
    if (!b || !entry) return;
    await unlink(entry.file);
    fsyncDir(b.dir);
    b.objects.delete(name);
    b.index.delete(name);
  }

  private loadBucket(bucket: string): void {
    const dir = join(this.root, encodeURIComponent(bucket));
    const b: Bucket = { dir, objects: new Map(), index: new SortedNames() };
    for (const fileName of readdirSync(dir)) {
      const file = join(dir, fileName);
      if (fileName.startsWith(".tmp-")) {
        unlinkSync(file); // an interrupted write: the old version (if any) is intact
        continue;
      }
      if (!fileName.endsWith(".obj")) continue;
      try {
        const meta = readMeta(file);
        b.objects.set(meta.name, { meta, file });
        b.index.add(meta.name);
      } catch (err) {
        this.logger.warn("skipping unreadable object file", { file, error: err });
      }
    }
    this.buckets.set(bucket, b);
  }
}

function fileKey(name: string): string {
  return createHash("sha256").update(name, "utf8").digest("hex");
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function parseHeader(data: Buffer, file: string): { meta: ObjectMeta; bodyOffset: number } {
  if (data.length < HEADER_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ObjectStoreError("not an emulator object file", { context: { file } });
  }
  const metaLength = data.readUInt32BE(MAGIC.length);
  const meta = ObjectMetaSchema.parse(JSON.parse(data.subarray(HEADER_BYTES, HEADER_BYTES + metaLength).toString("utf8")));
  const bodyOffset = HEADER_BYTES + metaLength;
  if (data.length - bodyOffset !== meta.size) {
    throw new ObjectStoreError("object file size does not match its metadata", { context: { file, size: meta.size } });
  }
  return { meta, bodyOffset };
}

/** Reads only the header and metadata of an object file, and checks the body length. */
function readMeta(file: string): ObjectMeta {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new ObjectStoreError("not an emulator object file", { context: { file } });
    }
    const metaLength = header.readUInt32BE(MAGIC.length);
    const metaBytes = Buffer.alloc(metaLength);
    if (readSync(fd, metaBytes, 0, metaLength, HEADER_BYTES) !== metaLength) {
      throw new ObjectStoreError("truncated object file", { context: { file } });
    }
    const meta = ObjectMetaSchema.parse(JSON.parse(metaBytes.toString("utf8")));
    if (statSync(file).size !== HEADER_BYTES + metaLength + meta.size) {
      throw new ObjectStoreError("object file size does not match its metadata", { context: { file, size: meta.size } });
    }
    return meta;
  } finally {
    closeSync(fd);
  }
}
