/**
 * One announcement as an ONS message: a title and a body that read well as
 * plain text (email, Slack) or, with `format: "json"`, a JSON document for
 * machine subscribers. The whole message stays within ONS's 64 KB; what is cut
 * says so with a "[truncated: N bytes omitted …]" marker.
 */
import type { Announcement, RenderOptions, RenderedMessage } from "./announcement.js";
import { type AnnouncementFacts, announcementFacts } from "./announcement-fields.js";
import { cutToBytes, MAX_MESSAGE_BYTES, messageBytes, truncationMarker } from "./message-size.js";
import { renderTitle } from "./render-title.js";

export function renderAnnouncement(a: Announcement, options: RenderOptions, maxBytes = MAX_MESSAGE_BYTES): RenderedMessage {
  const title = renderTitle(a);
  const facts = announcementFacts(a, options);
  return options.format === "json" ? fitJson(title, facts, maxBytes) : fitText(title, textBody(facts), maxBytes);
}

function line(label: string, value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : `${`${label}:`.padEnd(15)}${value}`;
}

export function textBody(f: AnnouncementFacts): string {
  const resource =
    f.resourceDisplayName && f.resourceDisplayName !== f.resourceName ? `${f.resourceDisplayName} (${f.resourceName})` : f.resourceName;
  const lines = [
    f.headline,
    "",
    line("Status", f.status),
    line("Action", f.action),
    line("Resource", resource),
    line("Resource type", f.resourceType),
    line("Platform", f.platformId),
    line("Operation", f.operationKey),
    line("Started by", f.startedBy),
    line("Started", f.started),
    line("Finished", f.finished),
    line("Duration", f.duration),
    line("Error code", f.errorCode),
    line("Request IDs", f.opcRequestIds.join(", ")),
    line("Console", f.consoleUrl),
    line("Dedupe key", f.dedupeKey),
    f.note ? `\n${f.note}` : undefined,
    f.errorMessage ? `\nError message:\n${f.errorMessage}` : undefined,
    f.statusDetails ? `\nStatus details:\n${f.statusDetails}` : undefined,
  ];
  return lines.filter((l): l is string => l !== undefined).join("\n");
}

/** Cuts the body's end (where the unbounded fields are) until title + body fit, then appends the marker. */
export function fitText(title: string, body: string, maxBytes: number): RenderedMessage {
  if (messageBytes(title, body) <= maxBytes) return { title, body, truncated: false };
  const fullBytes = Buffer.byteLength(body, "utf8");
  let keep = fullBytes;
  for (let i = 0; i < 20; i++) {
    const overflow = messageBytes(title, body) - maxBytes;
    const marker = `\n${truncationMarker(fullBytes)}`;
    keep = Math.max(0, keep - Math.max(overflow, 1) - Buffer.byteLength(marker) - 16);
    const head = cutToBytes(body, keep);
    const candidate = `${head}\n${truncationMarker(fullBytes - Buffer.byteLength(head, "utf8"))}`;
    if (messageBytes(title, candidate) <= maxBytes) return { title, body: candidate, truncated: true };
  }
  const fallback = truncationMarker(fullBytes);
  return { title, body: fallback, truncated: true };
}

function jsonDocument(f: AnnouncementFacts, truncated: boolean): Record<string, unknown> {
  return {
    type: "aidp-watch.announcement",
    version: 1,
    status: f.status,
    actionType: f.action,
    resourceType: f.resourceType,
    resourceName: f.resourceName,
    resourceDisplayName: f.resourceDisplayName,
    platformId: f.platformId,
    operationKey: f.operationKey,
    startedBy: f.startedBy,
    timeStarted: f.started,
    timeFinished: f.finished,
    durationMs: f.durationMs,
    summary: f.headline,
    note: f.note,
    errorCode: f.errorCode,
    opcRequestIds: f.opcRequestIds,
    consoleUrl: f.consoleUrl,
    dedupeKey: f.dedupeKey,
    errorMessage: f.errorMessage,
    statusDetails: f.statusDetails,
    truncated,
  };
}

const SHRINKABLE = [
  "errorMessage",
  "statusDetails",
  "resourceDisplayName",
  "resourceName",
  "startedBy",
  "note",
  "summary",
  "errorCode",
  "consoleUrl",
] as const;

/**
 * JSON must stay parseable, so instead of cutting the document, the longest
 * string fields are shortened, each ending with the marker, and `truncated`
 * is set.
 */
export function fitJson(title: string, facts: AnnouncementFacts, maxBytes: number): RenderedMessage {
  const full = JSON.stringify(jsonDocument(facts, false));
  if (messageBytes(title, full) <= maxBytes) return { title, body: full, truncated: false };
  const doc = jsonDocument(facts, true);
  const exhausted = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const body = JSON.stringify(doc);
    const overflow = messageBytes(title, body) - maxBytes;
    if (overflow <= 0) return { title, body, truncated: true };
    let longest: (typeof SHRINKABLE)[number] | undefined;
    for (const k of SHRINKABLE) {
      const v = doc[k];
      if (typeof v === "string" && !exhausted.has(k) && (longest === undefined || v.length > String(doc[longest]).length)) longest = k;
    }
    const value = longest ? doc[longest] : undefined;
    if (!longest || typeof value !== "string" || value.length === 0) break;
    const original = Buffer.byteLength(value, "utf8");
    const marker = ` ${truncationMarker(original)}`;
    // JSON escaping can make a character up to 6 bytes: cut by the overflow, at least.
    const keep = Math.max(0, original - overflow - Buffer.byteLength(marker) - 64);
    const head = cutToBytes(value, keep);
    doc[longest] = `${head} ${truncationMarker(original - Buffer.byteLength(head, "utf8"))}`;
    if (keep === 0) {
      doc[longest] = truncationMarker(original);
      exhausted.add(longest);
    }
  }
  const minimal = JSON.stringify({
    type: "aidp-watch.announcement",
    version: 1,
    status: facts.status,
    dedupeKey: facts.dedupeKey.slice(0, 2000),
    truncated: true,
    note: truncationMarker(Buffer.byteLength(full)),
  });
  return { title, body: minimal, truncated: true };
}
