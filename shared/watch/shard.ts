/**
 * Which platforms a sharded sweep takes. A platform belongs to shard
 * `h mod n`, where `h` is the first 4 bytes (big-endian, unsigned) of the
 * SHA-256 of its OCID: stable across containers, releases and languages
 * (`printf %s <ocid> | sha256sum | cut -c1-8` gives `h` in hex), so the
 * shards `0/n … (n-1)/n` are disjoint and together cover every platform.
 * Shards only pick platforms; the state and claims they use are the same as
 * for an unsharded sweep, so overlapping or repeated shards stay safe.
 */
import { createHash } from "node:crypto";
import { WatchError } from "./watch-errors.js";

export interface Shard {
  /** 0-based: 0 … of - 1. */
  readonly index: number;
  readonly of: number;
}

export const MAX_SHARDS = 100;

export class ShardError extends WatchError {}

export function shardHash(platformId: string): number {
  return createHash("sha256").update(platformId, "utf8").digest().readUInt32BE(0);
}

export function shardOf(platformId: string, of: number): number {
  return shardHash(platformId) % of;
}

export function inShard(platformId: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(platformId, shard.of) === shard.index;
}

export function checkShard(index: number, of: number): Shard {
  if (!Number.isInteger(of) || of < 1 || of > MAX_SHARDS)
    throw new ShardError(`shard count must be an integer from 1 to ${MAX_SHARDS} (got ${of})`, { context: { of } });
  if (!Number.isInteger(index) || index < 0 || index >= of) {
    throw new ShardError(`shard must be an integer from 0 to ${of - 1} (shards are numbered from 0; got ${index})`, {
      context: { index, of },
    });
  }
  return { index, of };
}

/** `i/n` as the CLI takes it (`--shard 0/4` … `--shard 3/4`). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*$/.exec(text);
  if (!m) throw new ShardError(`shard must look like i/n, e.g. 0/4 (got "${text}")`);
  return checkShard(Number(m[1]), Number(m[2]));
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.of}`;
}
