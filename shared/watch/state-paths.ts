/**
 * Where aidp-watch keeps its state in the state bucket, under
 * `AIDP_WATCH_STATE_PREFIX` (default `aidp-watch/`). docs/state-layout.md
 * describes each object; in short:
 *
 *   platforms/<platformId>/index.json                       tracking index (read-modify-write, if-match)
 *   platforms/<platformId>/registrations/<key>.json         from `track` (write-once, if-none-match: *)
 *   announcements/<platformId>/<key>/<status>.json          claims: the dedupe authority (if-none-match / if-match)
 *   topics/<sha256(topicId)[0..16]>/budget.json             per-topic publish budget (if-match, best effort)
 *
 * Operation keys are percent-encoded (`encodeURIComponent`) so a key holding
 * `/` stays one path segment.
 */
import { createHash } from "node:crypto";

export class StatePaths {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
  }

  index(platformId: string): string {
    return `${this.prefix}platforms/${platformId}/index.json`;
  }

  /** The platform of a tracking-index object name (the inverse of `index`), or undefined for anything else. */
  indexOf(name: string): string | undefined {
    const base = `${this.prefix}platforms/`;
    if (!name.startsWith(base) || !name.endsWith("/index.json")) return undefined;
    const platformId = name.slice(base.length, -"/index.json".length);
    return platformId === "" || platformId.includes("/") ? undefined : platformId;
  }

  registrationsPrefix(platformId: string): string {
    return `${this.prefix}platforms/${platformId}/registrations/`;
  }

  registration(platformId: string, key: string): string {
    return `${this.registrationsPrefix(platformId)}${encodeURIComponent(key)}.json`;
  }

  /** The operation key of a registration object name, or undefined for anything else under the prefix. */
  registrationKey(platformId: string, name: string): string | undefined {
    const p = this.registrationsPrefix(platformId);
    if (!name.startsWith(p) || !name.endsWith(".json")) return undefined;
    try {
      const key = decodeURIComponent(name.slice(p.length, -".json".length));
      return key === "" ? undefined : key;
    } catch {
      return undefined;
    }
  }

  claim(platformId: string, key: string, status: string): string {
    return `${this.prefix}announcements/${platformId}/${encodeURIComponent(key)}/${encodeURIComponent(status)}.json`;
  }

  /** The platform, key and status of a claim object name (the inverse of `claim`), or undefined for anything else. */
  claimOf(name: string): { platformId: string; key: string; status: string } | undefined {
    const base = `${this.prefix}announcements/`;
    if (!name.startsWith(base)) return undefined;
    const m = /^([^/]+)\/([^/]+)\/([^/]+)\.json$/.exec(name.slice(base.length));
    if (!m) return undefined;
    try {
      return { platformId: m[1]!, key: decodeURIComponent(m[2]!), status: decodeURIComponent(m[3]!) };
    } catch {
      return undefined;
    }
  }

  budget(topicId: string): string {
    const hash = createHash("sha256").update(topicId).digest("hex").slice(0, 16);
    return `${this.prefix}topics/${hash}/budget.json`;
  }
}
