/**
 * ONS accepts at most 64 KB per message. We count the bytes of the request
 * body itself (`{"title":…,"body":…}` as JSON, UTF-8), which is never less than
 * title plus body: escaping only adds bytes, so a message that fits here fits
 * under any reading of the limit.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Longest title, in UTF-16 units (`string.length`). */
export const MAX_TITLE_CHARS = 100;

export function messageBytes(title: string, body: string): number {
  return Buffer.byteLength(JSON.stringify({ title, body }), "utf8");
}

/** The longest prefix of `text` that is at most `maxBytes` of UTF-8, cut on a character boundary. */
export function cutToBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

/** Control characters (newlines included) become spaces: titles are one line. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

/** Cuts `text` to `max` UTF-16 units, ending with "…" when cut, never splitting a surrogate pair. */
export function clipChars(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, Math.max(0, end))}…`;
}

export function truncationMarker(omittedBytes: number): string {
  return `[truncated: ${omittedBytes} bytes omitted to fit the 64 KB message limit]`;
}

export const TRUNCATION_MARKER_PREFIX = "[truncated:";
