/**
 * Cuts a stream into parts of exactly `partSize` bytes (the last one may be
 * shorter, or empty for an empty stream). Holds at most one part in memory
 * plus one incoming chunk.
 */
import type { Readable } from "node:stream";

export async function* streamParts(body: Readable | AsyncIterable<unknown>, partSize: number): AsyncGenerator<Buffer, void, undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const raw of body) {
    let chunk = Buffer.isBuffer(raw) ? raw : typeof raw === "string" ? Buffer.from(raw) : Buffer.from(raw as Uint8Array);
    while (pendingBytes + chunk.length >= partSize) {
      const take = partSize - pendingBytes;
      pending.push(chunk.subarray(0, take));
      chunk = chunk.subarray(take);
      yield Buffer.concat(pending);
      yielded = true;
      pending = [];
      pendingBytes = 0;
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
  }
  if (pendingBytes > 0 || !yielded) yield Buffer.concat(pending);
}
