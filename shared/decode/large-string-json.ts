/**
 * `JSON.parse` for documents with a few huge strings (a task-run output's
 * base64 `value`, tens of MB), reading from the bytes of the document:
 *
 * - every string token of at least `minLength` bytes that is plain ASCII
 *   without control characters or escapes (base64 always is) becomes an `AsciiText` over the
 *   input's own bytes: no JS string of it is made, and decoding later reads
 *   it slice by slice;
 * - other long strings (escapes, non-ASCII) are parsed on their own with
 *   `JSON.parse`, so they come out exactly as `JSON.parse` would make them;
 * - the rest of the document, small once the long strings are cut out, goes
 *   through `JSON.parse` with each long string replaced by a placeholder string
 *   carrying a per-call random tag, and the placeholders are then swapped back.
 *
 * So the result equals `JSON.parse(text)` except that long ASCII strings are
 * `AsciiText`, and invalid JSON is rejected as by `JSON.parse` (a SyntaxError).
 * Memory: the document's bytes plus the small remainder, where `JSON.parse`
 * on text holds the text and a copy of every string.
 *
 * The only tokenising done here is finding string tokens: outside a string, a
 * `"` opens one; inside, `\` escapes the next byte and `"` closes it. Every
 * byte that is not part of a long string is left to `JSON.parse`.
 */
import { isAscii } from "node:buffer";
import { randomBytes } from "node:crypto";
import { readSync } from "node:fs";
import { AsciiText, FileAsciiText } from "./ascii-text.js";

export const LARGE_STRING_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface LongString {
  start: number; // the opening quote
  end: number; // the closing quote
}

/** Finds string tokens of at least `minLength` content bytes. Returns undefined if a string is unterminated. */
function longStrings(bytes: Buffer, minLength: number): LongString[] | undefined {
  const found: LongString[] = [];
  let i = bytes.indexOf(QUOTE);
  while (i >= 0) {
    const start = i;
    let j = start + 1;
    for (;;) {
      const close = bytes.indexOf(QUOTE, j);
      if (close < 0) return undefined;
      // The quote is escaped if an odd number of backslashes precede it.
      let k = close - 1;
      while (k > start && bytes[k] === BACKSLASH) k--;
      if ((close - 1 - k) % 2 === 1) {
        j = close + 1;
        continue;
      }
      if (close - start - 1 >= minLength) found.push({ start, end: close });
      i = bytes.indexOf(QUOTE, close + 1);
      break;
    }
  }
  return found;
}

/**
 * Whether bytes[start, end) are ASCII without control characters and
 * backslashes (then they are the string, as is; DEL, 0x7f, is allowed raw in
 * JSON and stands for itself). A base64 value is tens of MB: the ASCII and
 * backslash tests are native (SIMD `isAscii`, `indexOf`), and control bytes
 * are looked for four at a time (`noControlBytes`).
 */
function plainAscii(bytes: Buffer, start: number, end: number): boolean {
  const text = bytes.subarray(start, end);
  return isAscii(text) && text.indexOf(BACKSLASH) < 0 && noControlBytes(text);
}

const SPACES = 0x20202020; // 0x20, the first byte that is not a control character, in each of a word's four lanes
const HIGH_BITS = 0x80808080 | 0;

/**
 * Whether no byte of `bytes` (all ASCII, below 0x80) is below 0x20. The aligned
 * middle is read as 32-bit words: `(w - 0x20202020) & ~w & 0x80808080` is
 * non-zero exactly when some lane of `w` holds a byte below 0x20 (the classic
 * "has a byte less than n" test; exact on whether any lane matches, in either
 * byte order). Int32Array keeps the words small integers for the JIT.
 */
function noControlBytes(bytes: Buffer): boolean {
  const end = bytes.length;
  let i = 0;
  const head = Math.min(end, (4 - (bytes.byteOffset % 4)) % 4);
  for (; i < head; i++) if (bytes[i]! < 0x20) return false;
  const words = (end - i) >>> 2;
  if (words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      const w = view[k]!;
      if ((w - SPACES) & ~w & HIGH_BITS) return false;
    }
    i += words * 4;
  }
  for (; i < end; i++) if (bytes[i]! < 0x20) return false;
  return true;
}

export function parseJsonWithLargeStrings(bytes: Buffer, minLength = LARGE_STRING_BYTES): unknown {
  const strings = longStrings(bytes, minLength);
  if (strings === undefined || strings.length === 0) return JSON.parse(bytes.toString("utf8"));
  return parseAround(
    strings,
    (start, end) => bytes.toString("utf8", start, end),
    (s) =>
      plainAscii(bytes, s.start + 1, s.end)
        ? new AsciiText(bytes.subarray(s.start + 1, s.end))
        : (JSON.parse(bytes.toString("utf8", s.start, s.end + 1)) as string),
    () => bytes.toString("utf8", strings[strings.length - 1]!.end + 1),
  );
}

/**
 * The same parse reading the open file `fd` (from offset 0) in pieces into one
 * reused buffer: long plain-ASCII strings become `FileAsciiText`s that stay in
 * the file, so neither the document nor its long values are held in memory
 * (only the small rest of the document, and long strings with escapes or
 * non-ASCII, which are read and parsed on their own). The caller keeps `fd`
 * open while the result is in use.
 */
export function parseJsonFileWithLargeStrings(fd: number, minLength = LARGE_STRING_BYTES, pieceBytes = SCAN_PIECE_BYTES): unknown {
  const { strings, size } = scanFile(fd, minLength, pieceBytes);
  if (strings === undefined || strings.length === 0) return JSON.parse(readRange(fd, 0, size).toString("utf8"));
  return parseAround(
    strings,
    (start, end) => readRange(fd, start, end).toString("utf8"),
    (s) =>
      s.plain
        ? new FileAsciiText(fd, s.start + 1, s.end - s.start - 1)
        : (JSON.parse(readRange(fd, s.start, s.end + 1).toString("utf8")) as string),
    () => readRange(fd, strings[strings.length - 1]!.end + 1, size).toString("utf8"),
  );
}

/**
 * Parses the document with each long string replaced by a placeholder; `text(start, end)` gives the document's
 * text between two long strings, `value(s)` a long string's value, `tail()` the text after the last one.
 */
function parseAround<S extends LongString>(
  strings: S[],
  text: (start: number, end: number) => string,
  value: (s: S) => string | AsciiText,
  tail: () => string,
): unknown {
  const tag = `\u0000aidp-watch-long-string-${randomBytes(12).toString("hex")}:`;
  const values: Array<string | AsciiText> = [];
  let skeleton = "";
  let at = 0;
  for (const s of strings) {
    skeleton += text(at, s.start);
    skeleton += JSON.stringify(`${tag}${values.length}`);
    values.push(value(s));
    at = s.end + 1;
  }
  skeleton += tail();
  const parsed: unknown = JSON.parse(skeleton);
  return restore(parsed, tag, values);
}

/** How much of the file one read takes while scanning. */
const SCAN_PIECE_BYTES = 1024 * 1024;

interface FileLongString extends LongString {
  plain: boolean;
}

/**
 * Finds the long strings of the document in `fd`, reading it in pieces, with the same tokenising as `longStrings`
 * (outside a string a `"` opens one; inside, `\` escapes the next byte and `"` closes it), carried across piece
 * boundaries, and notes whether each is plain ASCII. `strings` is undefined if a string is unterminated.
 */
function scanFile(fd: number, minLength: number, pieceBytes: number): { strings: FileLongString[] | undefined; size: number } {
  const buf = Buffer.allocUnsafe(pieceBytes);
  const strings: FileLongString[] = [];
  let pos = 0; // file offset of buf[0]
  let inString = false;
  let escaped = false; // the previous byte of the string was an escaping backslash
  let start = 0; // the open string's quote
  let plain = true;
  for (;;) {
    const n = readSync(fd, buf, 0, pieceBytes, pos);
    if (n === 0) break;
    const piece = buf.subarray(0, n);
    let i = 0;
    let nextBackslash = -2; // not looked up yet in this piece
    while (i < n) {
      if (!inString) {
        const q = piece.indexOf(QUOTE, i);
        if (q < 0) break;
        inString = true;
        start = pos + q;
        plain = true;
        i = q + 1;
        continue;
      }
      if (escaped) {
        escaped = false;
        i++;
        continue;
      }
      const q = piece.indexOf(QUOTE, i);
      // Looked up again only once passed: a piece with many short strings is not searched to its end for each.
      if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = piece.indexOf(BACKSLASH, i);
      const stop = Math.min(q < 0 ? n : q, nextBackslash < 0 ? n : nextBackslash);
      if (plain && stop > i) plain = plainAscii(piece, i, stop);
      if (stop === n) break;
      if (stop === nextBackslash) {
        plain = false;
        escaped = true;
        i = stop + 1;
        continue;
      }
      const end = pos + q;
      if (end - start - 1 >= minLength) strings.push({ start, end, plain });
      inString = false;
      i = q + 1;
    }
    pos += n;
  }
  return { strings: inString ? undefined : strings, size: pos };
}

/** Bytes [start, end) of the file. */
function readRange(fd: number, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(Math.max(0, end - start));
  for (let n = 0; n < out.length; ) {
    const got = readSync(fd, out, n, out.length - n, start + n);
    if (got === 0) return out.subarray(0, n);
    n += got;
  }
  return out;
}

function restore(node: unknown, tag: string, values: Array<string | AsciiText>): unknown {
  if (typeof node === "string") {
    if (!node.startsWith(tag)) return node;
    const value = values[Number(node.slice(tag.length))];
    if (value === undefined) throw new SyntaxError("JSON document contains a string that looks like an internal placeholder");
    return value;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = restore(node[i], tag, values);
    return node;
  }
  if (typeof node === "object" && node !== null) {
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (!keys.some((k) => k.startsWith(tag))) {
      for (const key of keys) obj[key] = restore(obj[key], tag, values);
      return obj;
    }
    // A long string used as a key (legal, if odd): rebuild the object with the real key, in the same order.
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      // defineProperty, as JSON.parse does: a plain assignment to "__proto__" would set the prototype instead.
      const value = restore(obj[key], tag, values);
      Object.defineProperty(out, String(restore(key, tag, values)), { value, writable: true, enumerable: true, configurable: true });
    }
    return out;
  }
  return node;
}
