/**
 * The decode module's error family. Every error names the part it belongs to
 * (`partIndex`, `type`, `compression`, `charset` in `context`) so one failing
 * part of a task-run output can be reported while the others are archived.
 * `code` is a stable, machine-readable tag (the CLI manifest carries it).
 *
 * Codecs throw these with only codec-level context; `decode-part.ts` re-issues
 * them with the part's context via `withContext`.
 */
import { AidpWatchError, type ErrorContext } from "../errors/aidp-watch-error.js";

export type DecodeErrorCode =
  | "DECODE_FAILED"
  | "INVALID_PART"
  | "INVALID_BASE64"
  | "CORRUPT_COMPRESSED_DATA"
  | "TRUNCATED_INPUT"
  | "DECODE_LIMIT_EXCEEDED"
  | "UNSUPPORTED_ENCODING";

type Options = { cause?: unknown; context?: ErrorContext };

export class DecodeError extends AidpWatchError {
  readonly code: DecodeErrorCode = "DECODE_FAILED";

  /** The same error class and message, with `extra` merged into the context (existing keys win). */
  withContext(extra: ErrorContext): DecodeError {
    const Ctor = this.constructor as new (message: string, options: Options) => DecodeError;
    const copy = new Ctor(this.message, {
      cause: this.cause,
      context: { ...extra, ...this.context },
    });
    copy.stack = this.stack;
    return copy;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), code: this.code };
  }
}

/** The part itself is malformed (schema mismatch, a "binary string" with chars above U+00FF…). */
export class InvalidPartError extends DecodeError {
  override readonly code = "INVALID_PART";
}

/** `isBase64` is true but the value is not strict RFC 4648 base64 (alphabet, padding). */
export class InvalidBase64Error extends DecodeError {
  override readonly code = "INVALID_BASE64";
}

/** The compressed stream is not valid for its codec (bad magic, bad code, CRC mismatch…). */
export class CorruptCompressedDataError extends DecodeError {
  override readonly code = "CORRUPT_COMPRESSED_DATA";
}

/** The compressed stream ends before its codec says it is complete. */
export class TruncatedInputError extends DecodeError {
  override readonly code = "TRUNCATED_INPUT";
}

/** A configured limit (decoded size, expansion ratio) was exceeded; decoding was aborted. */
export class DecodeLimitError extends DecodeError {
  override readonly code = "DECODE_LIMIT_EXCEEDED";
}

/** An unknown `compression` or `charset` value: we cannot produce faithful bytes. */
export class UnsupportedEncodingError extends DecodeError {
  override readonly code = "UNSUPPORTED_ENCODING";
}

/** Wrap anything thrown by a codec or stream into the family, keeping the original as `cause`. */
export function asDecodeError(err: unknown, context: ErrorContext): DecodeError {
  if (err instanceof DecodeError) return err.withContext(context);
  const message = err instanceof Error ? err.message : String(err);
  return new DecodeError(`decoding failed: ${message}`, { cause: err, context });
}
