/**
 * A long JSON string value kept as the ASCII bytes it was read from, instead
 * of as a JS string next to them: a task-run output's base64 `value` (tens of
 * MB) is read slice by slice from the input buffer. Created only for strings
 * that are ASCII without control characters or escapes, so the bytes ARE the string
 * (see large-string-json.ts); `toString()` materialises it where a real
 * string is needed.
 */
import { readSync } from "node:fs";
import { DecodeError } from "./errors.js";

export class AsciiText {
  readonly #bytes: Buffer | undefined;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** The characters as ASCII bytes. */
  get bytes(): Buffer {
    return this.#bytes as Buffer;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Characters [start, end) as a string. */
  slice(start: number, end: number = this.length): string {
    return this.bytes.toString("latin1", start, end);
  }

  charCodeAt(index: number): number {
    const b = this.bytes[index];
    return b === undefined ? Number.NaN : b;
  }

  toString(): string {
    return this.bytes.toString("latin1");
  }

  /** `JSON.stringify` writes it as the string it stands for (e.g. `task-runs output` printing a fetched value). */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * An `AsciiText` that stays in its file: `length` bytes at `offset` of the open
 * file `fd`, read (`fs.readSync` at a position) only when a slice is asked for.
 * The base64 decoders read a value slice by slice, so a response of tens of MB
 * is never held whole: each slice is read into one reused buffer. `bytes`
 * (for a value that is not base64) reads the whole range once. The caller
 * keeps `fd` open while the text is in use and must not let the file change.
 */
export class FileAsciiText extends AsciiText {
  #scratch = Buffer.alloc(0);
  #whole: Buffer | undefined;

  constructor(
    readonly fd: number,
    readonly offset: number,
    readonly byteLength: number,
  ) {
    super(Buffer.alloc(0));
  }

  override get bytes(): Buffer {
    this.#whole ??= this.#read(0, this.byteLength, Buffer.allocUnsafe(this.byteLength));
    return this.#whole;
  }

  override get length(): number {
    return this.byteLength;
  }

  override slice(start: number, end: number = this.byteLength): string {
    const from = clamp(start, this.byteLength);
    const to = Math.max(from, clamp(end, this.byteLength));
    if (this.#whole) return this.#whole.toString("latin1", from, to);
    if (this.#scratch.length < to - from) this.#scratch = Buffer.allocUnsafe(Math.max(to - from, 128 * 1024));
    return this.#read(from, to - from, this.#scratch).toString("latin1", 0, to - from);
  }

  override charCodeAt(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.byteLength) return Number.NaN;
    return this.slice(index, index + 1).charCodeAt(0);
  }

  override toString(): string {
    return this.bytes.toString("latin1");
  }

  /** Reads `length` bytes from character `start` into `into`; a file that got shorter is an error, not short text. */
  #read(start: number, length: number, into: Buffer): Buffer {
    for (let n = 0; n < length; ) {
      const got = readSync(this.fd, into, n, length - n, this.offset + start + n);
      if (got === 0) {
        throw new DecodeError("input file changed while decoding: it ended early", { context: { offset: this.offset + start + n } });
      }
      n += got;
    }
    return into;
  }
}

/** `String.prototype.slice`'s reading of a position: negative counts from the end; clamped to [0, length]. */
function clamp(position: number, length: number): number {
  const p = Math.trunc(position) || 0;
  return p < 0 ? Math.max(0, length + p) : Math.min(p, length);
}

/** What the base64 decoder reads: a string, or the same characters as ASCII bytes. */
export type Base64Text = string | AsciiText;

/** The UTF-8 bytes of a value (for ASCII text, the bytes it already is). */
export function utf8Bytes(text: Base64Text): Buffer {
  return typeof text === "string" ? Buffer.from(text, "utf8") : text.bytes;
}
