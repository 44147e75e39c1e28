/**
 * Which operation states an ONS message announces. Every aidp-watch message
 * carries the dedupe key `<platformId>/<operationKey>/<status>` (text: a
 * "Dedupe key:" line; JSON: `dedupeKey`; digests: one per line), so reading
 * those keys is format-independent.
 */
export interface AnnouncedState {
  readonly platformId: string;
  readonly operationKey: string;
  readonly status: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function announcedStates(text: string, platformIds: readonly string[]): AnnouncedState[] {
  const found = new Map<string, AnnouncedState>();
  for (const platformId of platformIds) {
    const re = new RegExp(`${escapeRegExp(platformId)}/([A-Za-z0-9._:-]+)/([A-Z][A-Z_]*)`, "g");
    for (const m of text.matchAll(re)) {
      const state = { platformId, operationKey: m[1]!, status: m[2]! };
      found.set(`${platformId}/${state.operationKey}/${state.status}`, state);
    }
  }
  return [...found.values()];
}

export function stateId(s: AnnouncedState): string {
  return `${s.platformId}/${s.operationKey}/${s.status}`;
}
