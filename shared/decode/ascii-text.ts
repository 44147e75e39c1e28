/**
 * A long JSON string value kept as the ASCII bytes it was read from, instead
 * of as a JS string next to them: a task-run output's base64 `value` (tens of
 * MB) is read slice by slice from the input buffer. Created only for strings
 * that are ASCII without control characters or escapes, so the bytes ARE the string
 * (see large-string-json.ts); `toString()` materialises it where a real
 * string is needed.
 */
export class AsciiText {
  constructor(readonly bytes: Buffer) {}

  get length(): number {
    return this.bytes.length;
  }

  /** Characters [start, end) as a string. */
  slice(start: number, end: number = this.bytes.length): string {
    return this.bytes.toString("latin1", start, end);
  }

  charCodeAt(index: number): number {
    const b = this.bytes[index];
    return b === undefined ? Number.NaN : b;
  }

  toString(): string {
    return this.bytes.toString("latin1");
  }

  /** `JSON.stringify` writes it as the string it stands for. */
  toJSON(): string {
    return this.toString();
  }
}

/** What the base64 decoder reads: a string, or the same characters as ASCII bytes. */
export type Base64Text = string | AsciiText;

/** The UTF-8 bytes of a value (for ASCII text, the bytes it already is). */
export function utf8Bytes(text: Base64Text): Buffer {
  return typeof text === "string" ? Buffer.from(text, "utf8") : text.bytes;
}
