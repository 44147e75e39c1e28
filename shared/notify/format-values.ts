import { parseTime } from "../watch/operation.js";

/** Small formatting helpers shared by the text and JSON renderers. */

/** `2026-11-23T12:00:00Z`, plus ` (2026-11-23 13:00:00 Europe/Paris)` when a display zone is set. */
export function formatTime(iso: string | undefined, displayTimeZone?: string): string | undefined {
  const ms = parseTime(iso);
  if (ms === undefined) return iso;
  const utc = new Date(ms).toISOString().replace(/\.000Z$/, "Z");
  if (!displayTimeZone) return utc;
  try {
    const local = new Intl.DateTimeFormat("sv-SE", {
      timeZone: displayTimeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    }).format(ms);
    return `${utc} (${local} ${displayTimeZone})`;
  } catch {
    return utc;
  }
}

/** `1h 2m 3s`, `45s`, `0s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", s || total === 0 ? `${s}s` : ""].filter(Boolean);
  return parts.join(" ");
}

export function durationMs(startIso: string | undefined, endIso: string | undefined): number | undefined {
  const a = parseTime(startIso);
  const b = parseTime(endIso);
  return a !== undefined && b !== undefined && b >= a ? b - a : undefined;
}

/** The console link from its template, values URL-encoded; undefined without a template. */
export function consoleUrl(
  template: string | undefined,
  values: { platformId: string; operationKey: string; region?: string | undefined },
): string | undefined {
  if (!template) return undefined;
  return template
    .replaceAll("{platformId}", encodeURIComponent(values.platformId))
    .replaceAll("{operationKey}", encodeURIComponent(values.operationKey))
    .replaceAll("{region}", encodeURIComponent(values.region ?? ""));
}
