/**
 * One message standing for many, when more announcements are due than the
 * per-minute publish budget allows: one line per operation, as many as fit in
 * 64 KB, in the order given. The caller learns how many were listed
 * (`included`) and leaves the rest for a later message.
 */
import type { Announcement, RenderOptions } from "./announcement.js";
import { dedupeKey } from "./announcement.js";
import { formatTime } from "./format-values.js";
import { clipChars, MAX_MESSAGE_BYTES, MAX_TITLE_CHARS, messageBytes, oneLine } from "./message-size.js";

export interface RenderedDigest {
  readonly title: string;
  readonly body: string;
  /** How many of the given announcements (from the start) the message lists. */
  readonly included: number;
}

function countsByStatus(items: readonly Announcement[]): string {
  const counts = new Map<string, number>();
  for (const a of items) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
}

export function digestTitle(items: readonly Announcement[]): string {
  return clipChars(oneLine(`DIGEST · ${items.length} operations · ${countsByStatus(items)}`), MAX_TITLE_CHARS);
}

function textLine(a: Announcement): string {
  const op = a.operation;
  const when = formatTime(op.timeFinished, undefined) ?? "";
  return oneLine(
    `${a.status} | ${op.actionType} | ${op.resourceName || op.resourceDisplayName || "-"} | ${when} | ${op.key}${op.errorCode ? ` | ${op.errorCode}` : ""}`,
  ).slice(0, 1000);
}

function textBody(items: readonly Announcement[], total: number, perMinute: number | undefined): string {
  const platforms = [...new Set(items.map((a) => a.platformId))];
  const head = [
    `${total} AI Data Platform operation updates arrived faster than the publish budget${perMinute ? ` (${perMinute} messages per minute)` : ""} allows, so they are listed here in one message.`,
    `Platform: ${platforms.join(", ")}`,
    "Dedupe key of each line: <platform>/<operation>/<status>.",
    "",
    "STATUS | ACTION | RESOURCE | FINISHED (UTC) | OPERATION [| ERROR CODE]",
  ];
  const lines = items.map(textLine);
  const tail = items.length < total ? ["", `${total - items.length} more are not listed here; they follow in the next message.`] : [];
  return [...head, ...lines, ...tail].join("\n");
}

function jsonBody(items: readonly Announcement[], total: number, perMinute: number | undefined): string {
  return JSON.stringify({
    type: "aidp-watch.digest",
    version: 1,
    count: items.length,
    omitted: total - items.length,
    budgetPerMinute: perMinute,
    items: items.map((a) => ({
      status: a.status,
      actionType: a.operation.actionType,
      resourceType: a.operation.resourceType,
      resourceName: a.operation.resourceName,
      platformId: a.platformId,
      operationKey: a.operation.key,
      timeFinished: a.operation.timeFinished,
      errorCode: a.operation.errorCode,
      dedupeKey: dedupeKey(a),
    })),
  });
}

function render(items: readonly Announcement[], total: number, options: RenderOptions, perMinute: number | undefined) {
  const title = digestTitle(items);
  const body = options.format === "json" ? jsonBody(items, total, perMinute) : textBody(items, total, perMinute);
  return { title, body };
}

export function renderDigest(
  items: readonly Announcement[],
  options: RenderOptions,
  extra: { perMinute?: number; maxBytes?: number } = {},
): RenderedDigest {
  const maxBytes = extra.maxBytes ?? MAX_MESSAGE_BYTES;
  const fits = (n: number) => {
    const m = render(items.slice(0, n), items.length, options, extra.perMinute);
    return messageBytes(m.title, m.body) <= maxBytes ? m : undefined;
  };
  const all = fits(items.length);
  if (all) return { ...all, included: items.length };
  // The largest n that fits (size grows with n): binary search.
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const m = fits(lo) ?? { title: digestTitle([]), body: "" };
  return { ...m, included: lo };
}
