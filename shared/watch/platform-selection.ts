/**
 * Which AI Data Platforms a sweep watches (pure): every OCID listed in
 * `AIDP_WATCH_PLATFORM_IDS` (explicit, always), plus the platforms found in
 * `AIDP_WATCH_COMPARTMENT_IDS` that are `ACTIVE` and not opted out with the
 * freeform tag `aidp-watch` = `off`. Deleted, failed, creating and updating
 * platforms are skipped: their index, if any, stays in the state bucket and
 * the sweep picks up where it left off once the platform is ACTIVE again
 * (its catch-up listing looks back to the saved watermark).
 */
export interface ListedPlatform {
  readonly id: string;
  readonly compartmentId: string;
  readonly displayName: string | undefined;
  /** Open enum: `ACTIVE`, `DELETED`, `FAILED`, … and whatever AIDP adds later. */
  readonly lifecycleState: string;
  readonly freeformTags: Readonly<Record<string, string>>;
}

export interface SkippedPlatform {
  readonly id: string;
  readonly reason: string;
}

export interface PlatformSelection {
  /** Explicit ones first (in configuration order), then the discovered ones by OCID. */
  readonly ids: string[];
  readonly skipped: SkippedPlatform[];
}

export const OPT_OUT_TAG = "aidp-watch";
export const OPT_OUT_VALUE = "off";
export const WATCHED_LIFECYCLE_STATE = "ACTIVE";

/** Tag keys and this value are compared case-insensitively (`AIDP-Watch: Off` opts out too). */
export function optedOut(tags: Readonly<Record<string, string>>): boolean {
  return Object.entries(tags).some(([k, v]) => k.toLowerCase() === OPT_OUT_TAG && v.trim().toLowerCase() === OPT_OUT_VALUE);
}

export function selectPlatforms(explicit: readonly string[], listed: readonly ListedPlatform[]): PlatformSelection {
  const ids = [...new Set(explicit)];
  const taken = new Set(ids);
  const skipped: SkippedPlatform[] = [];
  for (const p of [...listed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (taken.has(p.id)) continue;
    if (p.lifecycleState !== WATCHED_LIFECYCLE_STATE) {
      skipped.push({ id: p.id, reason: `lifecycle state ${p.lifecycleState}` });
    } else if (optedOut(p.freeformTags)) {
      skipped.push({ id: p.id, reason: `tagged ${OPT_OUT_TAG}=${OPT_OUT_VALUE}` });
    } else {
      ids.push(p.id);
    }
    taken.add(p.id);
  }
  return { ids, skipped };
}
