import { type Duplex, Readable } from "node:stream";
import { base64Slices, base64Stream } from "./base64-stream.js";
import { bufferSlices, bzip2Stream } from "./bzip2.js";
import { DeflateAutoDecoder } from "./deflate.js";
import { createGzipDecoder } from "./gzip.js";
import type { LimitGuard } from "./limits.js";
import { LzwDecodeTransform } from "./lzw-transform.js";
import { ThreadHandoff } from "./thread-handoff.js";
import type { WarningSink } from "./warnings.js";

/**
 * Builds the byte-producing half of the pipeline: source (base64 slices or the
 * raw value) followed by the codec and the limit guard. Returned as a list of
 * streams for `stream.pipeline`.
 */
export type ByteSource = { kind: "base64"; value: string; chunkChars: number } | { kind: "bytes"; bytes: Buffer };
export type KnownCompression = "GZIP" | "DEFLATE" | "COMPRESS" | "BZIP2" | "NONE";

function sourceStream(source: ByteSource): Readable {
  return source.kind === "base64"
    ? base64Stream(source.value, source.chunkChars)
    : Readable.from(source.bytes.length > 0 ? [source.bytes] : [], { objectMode: false });
}

export function decompressionStages(
  source: ByteSource,
  compression: KnownCompression,
  guard: LimitGuard,
  warn: WarningSink,
): Array<Readable | Duplex> {
  switch (compression) {
    case "NONE":
      return [sourceStream(source), guard.transform()];
    case "GZIP":
      return [sourceStream(source), createGzipDecoder(), new ThreadHandoff(), guard.transform()];
    case "DEFLATE":
      return [sourceStream(source), new DeflateAutoDecoder(warn), new ThreadHandoff(), guard.transform()];
    case "COMPRESS":
      return [sourceStream(source), new LzwDecodeTransform(guard)];
    case "BZIP2": {
      // seek-bzip reads the whole input, not a stream (see bzip2.ts); base64 is decoded slice by slice as it reads.
      const input = source.kind === "base64" ? base64Slices(source.value, source.chunkChars) : bufferSlices(source.bytes);
      return [bzip2Stream(input, guard, warn)];
    }
  }
}
