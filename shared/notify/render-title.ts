/**
 * `FAILED · CREATE_TABLE · sales.q3.orders`: status first (what a reader scans
 * an inbox or a channel for), then action and resource. At most 100
 * characters, one line; the resource name gives way first.
 */
import type { Announcement } from "./announcement.js";
import { clipChars, MAX_TITLE_CHARS, oneLine } from "./message-size.js";

export function renderTitle(a: Announcement): string {
  const op = a.operation;
  const head = oneLine(`${a.status} · ${op.actionType}`);
  const resource = oneLine(op.resourceName || op.resourceDisplayName || op.key);
  const prefix = clipChars(head, MAX_TITLE_CHARS);
  const room = MAX_TITLE_CHARS - prefix.length - 3;
  if (room < 2 || resource === "") return prefix;
  return `${prefix} · ${clipChars(resource, room)}`;
}
