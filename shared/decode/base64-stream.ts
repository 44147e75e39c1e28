/**
 * Strict, chunked base64 (RFC 4648 §4, standard alphabet, padding required).
 *
 * Node's `Buffer.from(s, "base64")` silently skips invalid characters and
 * accepts missing padding, which would turn a corrupted payload into plausible
 * but wrong bytes. We validate every chunk first, and report the first bad
 * character's offset. Whitespace and the URL-safe alphabet are rejected too:
 * the API delivers one JSON string, with no line wrapping.
 *
 * The value arrives as one JS string; decoding it in slices (a multiple of 4
 * chars) means we never hold the whole decoded buffer next to the string.
 */
import { Readable } from "node:stream";
import type { Base64Text } from "./ascii-text.js";
import { InvalidBase64Error } from "./errors.js";

export const DEFAULT_BASE64_CHUNK_CHARS = 256 * 1024;

const INVALID = /[^A-Za-z0-9+/]/;

/** Exact decoded size of a strict base64 string (assuming it validates). */
export function base64DecodedLength(value: Base64Text): number {
  const n = value.length;
  let pad = 0;
  if (n >= 1 && value.charCodeAt(n - 1) === 61 /* = */) pad = n >= 2 && value.charCodeAt(n - 2) === 61 ? 2 : 1;
  return Math.max(0, Math.floor(n / 4) * 3 - pad);
}

/**
 * Throws `InvalidBase64Error` unless `chars` (the value's characters from offset `base`) are strict base64;
 * `total` is the value's length, and `last` says whether `chars` end the value.
 */
function validateSlice(chars: string, base: number, last: boolean, total: number): void {
  let dataEnd = chars.length;
  if (last) {
    if (dataEnd > 0 && chars.charCodeAt(dataEnd - 1) === 61 /* = */) dataEnd--;
    if (dataEnd > 0 && chars.charCodeAt(dataEnd - 1) === 61) dataEnd--;
  }
  const m = INVALID.exec(dataEnd === chars.length ? chars : chars.slice(0, dataEnd));
  if (m) {
    const offset = base + m.index;
    const ch = chars.charCodeAt(m.index);
    const what = ch === 61 ? "misplaced padding '='" : `invalid character U+${ch.toString(16).toUpperCase().padStart(4, "0")}`;
    throw new InvalidBase64Error(`invalid base64: ${what} at offset ${offset}`, {
      context: { reason: ch === 61 ? "padding" : "character", offset },
    });
  }
  if (last && total % 4 !== 0) {
    throw new InvalidBase64Error(`invalid base64: length ${total} is not a multiple of 4 (missing or extra padding)`, {
      context: { reason: "padding", length: total },
    });
  }
  // "A===" style: three pad chars leave a group with a single data char.
  const pads = chars.length - dataEnd;
  if (last && pads > 0 && ((base + dataEnd) % 4) + pads !== 4) {
    throw new InvalidBase64Error(`invalid base64: bad padding at offset ${base + dataEnd}`, {
      context: { reason: "padding", offset: base + dataEnd },
    });
  }
}

/**
 * Decodes value[pos, end) (a multiple of 4 chars unless it ends the value) and validates it.
 * Fast path: canonical base64 re-encodes to itself (native, ~1 GB/s; a regex scan is ~10× slower).
 * Anything else (invalid chars, bad padding, or merely non-zero pad bits) takes the exact check,
 * which throws with the offending offset, or accepts non-canonical pad bits (RFC 4648 §3.5).
 * Padding is only legal at the very end of the value, not at the end of an inner slice.
 */
function decodeSlice(value: Base64Text, pos: number, end: number): Buffer {
  if (typeof value === "string") {
    const chars = value.slice(pos, end); // a view into the string, not a copy
    const bytes = Buffer.from(chars, "base64");
    checkSlice(value, pos, chars, bytes);
    return bytes;
  }
  // ASCII bytes: each piece becomes a string copy, kept small (see PIECE_CHARS).
  const out = Buffer.allocUnsafe(Math.ceil((end - pos) / 4) * 3);
  let n = 0;
  for (let p = pos; p < end; p += PIECE_CHARS) {
    const chars = value.slice(p, Math.min(end, p + PIECE_CHARS));
    const written = out.write(chars, n, "base64");
    checkSlice(value, p, chars, out.subarray(n, n + written));
    n += written;
  }
  return out.subarray(0, n);
}

/**
 * Characters turned into one string at a time when reading ASCII bytes. Strings above V8's regular object size
 * (128 KiB) are allocated in its large-object space, about ten times slower per byte (measured: 25 MB as 256 KiB
 * strings 100-150 ms, as 96 KiB strings 7-21 ms). A multiple of 4.
 */
const PIECE_CHARS = 96 * 1024;

/** The validation half of `decodeSlice`, for bytes decoded elsewhere. */
function checkSlice(value: Base64Text, pos: number, chars: string, bytes: Buffer): void {
  const last = pos + chars.length === value.length;
  if (!reencodes(chars, bytes) || (!last && chars.charCodeAt(chars.length - 1) === 61)) {
    validateSlice(chars, pos, last, value.length);
  }
}

/**
 * Whether `bytes` re-encode to exactly `chars`. Compared in pieces of
 * CHECK_BYTES: each re-encoded piece is a small, short-lived string (young
 * generation), where one slice-sized string would land in V8's large-object
 * space and stay there, as garbage, until a full GC.
 */
const CHECK_BYTES = 24 * 1024; // 32 Ki chars
function reencodes(chars: string, bytes: Buffer): boolean {
  let at = 0;
  for (let b = 0; b < bytes.length; b += CHECK_BYTES) {
    const piece = bytes.toString("base64", b, Math.min(bytes.length, b + CHECK_BYTES));
    if (!chars.startsWith(piece, at)) return false;
    at += piece.length;
  }
  return at === chars.length;
}

function sliceStep(chunkChars: number): number {
  return Math.max(4, chunkChars - (chunkChars % 4));
}

/**
 * Validate and decode the whole string into one Buffer, for codecs that need
 * all of their input at once (parallel bzip2, whose workers share it). Works
 * slice by slice, decoding straight into the result, so next to it only one
 * slice's re-encoding exists at a time. `alloc` provides the result (e.g. over
 * a SharedArrayBuffer); it gets the exact decoded size.
 */
export function decodeBase64Strict(
  value: Base64Text,
  chunkChars = DEFAULT_BASE64_CHUNK_CHARS,
  alloc: (size: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  const step = typeof value === "string" ? sliceStep(chunkChars) : Math.min(sliceStep(chunkChars), PIECE_CHARS);
  const out = alloc(base64DecodedLength(value));
  let n = 0;
  for (let pos = 0; pos < value.length; pos += step) {
    const end = Math.min(value.length, pos + step);
    const chars = value.slice(pos, end);
    const written = out.write(chars, n, "base64");
    checkSlice(value, pos, chars, out.subarray(n, n + written));
    n += written;
  }
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * The decoded bytes of `value` as numbered slices, each decoded (and validated)
 * only when asked for: slice k holds bytes [k·sliceBytes, (k+1)·sliceBytes).
 * For consumers that need random-ish access but not the whole buffer at once.
 */
export interface ByteSlices {
  /** Decoded size (exact when the value is valid base64). */
  readonly size: number;
  readonly sliceBytes: number;
  /** Slice `k`, or undefined past the end. Throws `InvalidBase64Error`. */
  get(k: number): Buffer | undefined;
}

export function base64Slices(value: Base64Text, chunkChars = DEFAULT_BASE64_CHUNK_CHARS): ByteSlices {
  const step = sliceStep(chunkChars);
  return {
    size: base64DecodedLength(value),
    sliceBytes: (step / 4) * 3,
    get(k: number): Buffer | undefined {
      const pos = k * step;
      if (k < 0 || pos >= value.length) return undefined;
      return decodeSlice(value, pos, Math.min(value.length, pos + step));
    },
  };
}

/** A Readable that yields the decoded bytes slice by slice, validating as it goes. */
export function base64Stream(value: Base64Text, chunkChars = DEFAULT_BASE64_CHUNK_CHARS): Readable {
  const step = sliceStep(chunkChars);
  let pos = 0;
  return new Readable({
    read() {
      if (pos >= value.length) {
        this.push(null);
        return;
      }
      const end = Math.min(value.length, pos + step);
      let bytes: Buffer;
      try {
        bytes = decodeSlice(value, pos, end);
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
      pos = end;
      this.push(bytes);
      if (end === value.length) this.push(null);
    },
  });
}
