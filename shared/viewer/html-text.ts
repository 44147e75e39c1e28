/**
 * Escaping for the archive viewer. Everything the viewer shows comes from
 * outside (part contents, names, error messages AIDP sent), so every string
 * goes through one of these before it touches markup: this is the viewer's
 * safety property, not the Content-Security-Policy (which is a second line).
 */
const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for element content or a double-quoted attribute value (also `srcdoc`). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * A relative link to a sibling object (a part beside `index.html`): the last
 * path segment, percent-encoded so `?`, `#`, `:` or spaces can't turn it into
 * another URL (a scheme like `javascript:` needs a `:`, which is encoded).
 */
export function siblingHref(objectName: string): string {
  const last = objectName.slice(objectName.lastIndexOf("/") + 1);
  return `./${encodeURIComponent(last)}`;
}

/** `1.5 KiB`, `12 B`: sizes as people read them (the exact byte count is shown beside). */
export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** ANSI colour codes (notebook tracebacks) removed: they would show as noise. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is exactly what is removed
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
