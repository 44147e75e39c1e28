/**
 * Decodes one `RunOutputData` part: strict base64 → decompression → (text
 * types) transcoding to UTF-8 → inspection (size, SHA-256, signature).
 *
 * Non-base64 values: a JSON string is already Unicode, so an uncompressed
 * non-base64 value is stored as its UTF-8 encoding and `charset` is moot. A
 * *compressed* non-base64 value can only be a "binary string" (one char per
 * byte, U+0000..U+00FF); anything else is an `InvalidPartError`.
 *
 * `length` is compared with the decompressed size and with the final size;
 * matching either is accepted (the API does not say which it means).
 */
import { type Readable, pipeline } from "node:stream";
import type { ErrorContext } from "../errors/aidp-watch-error.js";
import { type Logger, silentLogger } from "../log/logger.js";
import { DEFAULT_BASE64_CHUNK_CHARS, base64DecodedLength } from "./base64-stream.js";
import { type Base64Text, utf8Bytes } from "./ascii-text.js";
import { contentKindOf } from "./content-types.js";
import {
  type ByteSource,
  type Bzip2Parallelism,
  DEFAULT_BZIP2_PARALLELISM,
  type KnownCompression,
  decompressionStages,
} from "./decompress.js";
import {
  CorruptCompressedDataError,
  DecodeError,
  InvalidPartError,
  TruncatedInputError,
  UnsupportedEncodingError,
  asDecodeError,
} from "./errors.js";
import { type DecodeLimits, LimitGuard, resolveLimits } from "./limits.js";
import { checkMagic } from "./magic-bytes.js";
import { isKnown } from "../schema/open-enum.js";
import { type InspectionTotals, PartInspector } from "./part-inspector.js";
import { RUN_OUTPUT_CHARSETS, RUN_OUTPUT_COMPRESSIONS } from "./run-output-schema.js";
import { StripBomCheckUtf8 } from "./utf8-check.js";
import { Utf16ToUtf8 } from "./utf16.js";
import type { DecodeWarning } from "./warnings.js";

export interface DecodeOptions {
  /** Position of the part in `TaskRunOutput.data`, for errors and warnings. */
  partIndex?: number;
  limits?: Partial<DecodeLimits>;
  /** Base64 characters decoded per slice (rounded down to a multiple of 4). */
  base64ChunkChars?: number;
  logger?: Logger;
  /** When and how BZIP2 is decoded on worker threads (default: DEFAULT_BZIP2_PARALLELISM). */
  bzip2Parallel?: Partial<Bzip2Parallelism>;
}

/**
 * What the decoder needs from a part: `RunOutputData` as parsed by
 * `RunOutputDataSchema`, or any structurally equal object (nulls allowed).
 */
export interface DecodablePart {
  type: string;
  isBase64?: boolean | null | undefined;
  compression?: string | null | undefined;
  charset?: string | null | undefined;
  length?: string | null | undefined;
  /** The value; a long one may come as `AsciiText` (its bytes as read, see large-string-json.ts). */
  value?: Base64Text | null | undefined;
}

export interface DecodedPartInfo {
  index: number;
  type: string;
  contentType: string;
  extension: string;
  /** Size of the decoded (final) bytes. */
  bytes: number;
  sha256: string;
  warnings: DecodeWarning[];
  /** Input after base64 (compressed size) and output of the decompressor (before transcoding). */
  sizes: { compressedBytes: number; decompressedBytes: number };
}

export interface DecodedPart extends DecodedPartInfo {
  data: Buffer;
}

export interface DecodeStream {
  /** The decoded bytes. Errors are `DecodeError`s. Must be consumed for `result` to settle. */
  stream: Readable;
  /** Settles once `stream` has been read to the end (or failed, with the same error). */
  result: Promise<DecodedPartInfo>;
}

const LONE_SURROGATE = /\p{Cs}/u;
const NOT_LATIN1 = /[\u0100-\uffff]/; // any UTF-16 code unit above U+00FF

function partContext(part: DecodablePart, index: number): ErrorContext {
  return { partIndex: index, type: part.type, compression: part.compression ?? "NONE", charset: part.charset ?? "NONE" };
}

/** Raw codec errors (zlib's Z_* errors…) into the DecodeError family. */
function classify(err: Error, compression: string): Error {
  if (err instanceof DecodeError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "Z_BUF_ERROR") {
    return new TruncatedInputError(`${compression} stream is truncated: ${err.message}`, { cause: err, context: { codec: compression } });
  }
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new CorruptCompressedDataError(`${compression} data is corrupt: ${err.message}`, {
      cause: err,
      context: { codec: compression, zlibCode: code },
    });
  }
  return err;
}

export function decodePartToStream(part: DecodablePart, options: DecodeOptions = {}): DecodeStream {
  const index = options.partIndex ?? 0;
  const logger = options.logger ?? silentLogger;
  const context = partContext(part, index);
  const compression = part.compression ?? "NONE";
  const warnings: DecodeWarning[] = [];
  const warn = (w: DecodeWarning) => warnings.push(w);

  const mapped = new WeakMap<Error, DecodeError>();
  const mapError = (err: Error): DecodeError => {
    const known = mapped.get(err);
    if (known) return known;
    const typed = asDecodeError(classify(err, compression), context);
    mapped.set(err, typed);
    mapped.set(typed, typed);
    return typed;
  };

  let resolve!: (info: DecodedPartInfo) => void;
  let reject!: (err: DecodeError) => void;
  const result = new Promise<DecodedPartInfo>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers that only consume `stream` see the error there; don't crash them with an unhandled rejection.
  result.catch(() => {});

  const { kind, known } = contentKindOf(part.type);
  const limits = resolveLimits(options.limits);
  let guard: LimitGuard | undefined;
  let compressedBytes = 0;

  const onEnd = (totals: InspectionTotals) => {
    const magic = checkMagic(part.type, totals.head);
    if (magic) warn({ code: "MAGIC_MISMATCH", message: magic });
    const decompressedBytes = guard?.bytes ?? totals.bytes;
    checkLength(part.length ?? undefined, decompressedBytes, totals.bytes, warn);
    const info: DecodedPartInfo = {
      index,
      type: part.type,
      contentType: kind.contentType,
      extension: kind.extension,
      bytes: totals.bytes,
      sha256: totals.sha256,
      warnings,
      sizes: { compressedBytes, decompressedBytes },
    };
    logger.debug("decoded task-run output part", { ...context, bytes: info.bytes, warnings: warnings.length });
    resolve(info);
  };
  const inspector = new PartInspector(limits, onEnd, mapError);

  try {
    if (!known) {
      warn({ code: "UNKNOWN_TYPE", message: `unknown output type ${part.type}; archived as application/octet-stream` });
    }
    if (compression !== "NONE" && !isKnown(RUN_OUTPUT_COMPRESSIONS, compression)) {
      throw new UnsupportedEncodingError(`unsupported compression ${compression}`, {
        context: { field: "compression", value: compression },
      });
    }
    const charset = part.charset ?? undefined;
    if (charset !== undefined && !isKnown(RUN_OUTPUT_CHARSETS, charset)) {
      if (kind.text) {
        throw new UnsupportedEncodingError(`unsupported charset ${charset}`, { context: { field: "charset", value: charset } });
      }
      warn({ code: "UNKNOWN_CHARSET_IGNORED", message: `unknown charset ${charset} ignored for binary type ${part.type}` });
    }

    const raw = part.value ?? "";
    let source: ByteSource;
    let alreadyUnicode = false;
    if (part.isBase64) {
      compressedBytes = base64DecodedLength(raw);
      source = { kind: "base64", value: raw, chunkChars: options.base64ChunkChars ?? DEFAULT_BASE64_CHUNK_CHARS };
    } else if (compression !== "NONE") {
      const value = raw.toString();
      const bad = NOT_LATIN1.exec(value);
      if (bad) {
        throw new InvalidPartError(
          `compressed value is not base64 and not a binary string (char U+${value.charCodeAt(bad.index).toString(16).toUpperCase()} at ${bad.index})`,
          { context: { offset: bad.index } },
        );
      }
      if (value.length > 0) {
        warn({ code: "BINARY_STRING_VALUE", message: "compressed value is not base64; read as a binary (latin1) string" });
      }
      source = { kind: "bytes", bytes: Buffer.from(value, "latin1") };
      compressedBytes = value.length;
    } else {
      alreadyUnicode = true;
      if (typeof raw === "string" && LONE_SURROGATE.test(raw)) {
        warn({ code: "LONE_SURROGATE_IN_VALUE", message: "value contains unpaired surrogates; each was stored as U+FFFD" });
      }
      if (!kind.text && known) {
        warn({ code: "BINARY_TYPE_AS_TEXT", message: `${part.type} value is not base64; stored as its UTF-8 text` });
      }
      source = { kind: "bytes", bytes: utf8Bytes(raw) };
      compressedBytes = source.bytes.length;
    }

    const effectiveCompression: KnownCompression = compression === "NONE" ? "NONE" : (compression as KnownCompression);
    let codec = effectiveCompression;
    if (codec !== "NONE" && compressedBytes === 0) {
      warn({ code: "EMPTY_COMPRESSED_PAYLOAD", message: `empty ${codec} payload; treated as empty content` });
      codec = "NONE";
    }
    guard = new LimitGuard(limits, compressedBytes);
    const stages = decompressionStages(source, codec, guard, warn, { ...DEFAULT_BZIP2_PARALLELISM, ...options.bzip2Parallel });
    if (kind.text) {
      stages.push(charset === "UTF_16" && !alreadyUnicode ? new Utf16ToUtf8(warn) : new StripBomCheckUtf8(warn));
    }
    stages.push(inspector);
    pipeline(stages, (err) => {
      if (err) reject(mapError(err));
    });
  } catch (err) {
    const typed = mapError(err instanceof Error ? err : new Error(String(err)));
    process.nextTick(() => inspector.destroy(typed));
    reject(typed);
  }
  return { stream: inspector, result };
}

function checkLength(length: string | undefined, decompressed: number, output: number, warn: (w: DecodeWarning) => void): void {
  if (length === undefined || length === "") return;
  if (!/^\d+$/.test(length.trim())) {
    warn({ code: "LENGTH_UNPARSEABLE", message: `length ${JSON.stringify(length)} is not a byte count; not checked` });
    return;
  }
  const expected = Number(length.trim());
  if (expected !== decompressed && expected !== output) {
    warn({
      code: "LENGTH_MISMATCH",
      message: `length says ${expected} bytes but the payload decoded to ${decompressed} bytes${output !== decompressed ? ` (${output} bytes as UTF-8)` : ""}`,
    });
  }
}

/** Convenience for small parts: the decoded bytes in one Buffer. */
export async function decodePart(part: DecodablePart, options: DecodeOptions = {}): Promise<DecodedPart> {
  const { stream, result } = decodePartToStream(part, options);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const info = await result;
  return { ...info, data: Buffer.concat(chunks) };
}
