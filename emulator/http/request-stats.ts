/** The ids a client sent with one request: what a test compares across clients (e.g. containers started from one snapshot). */
export interface ClientIds {
  readonly route: string;
  readonly requestId: string | undefined;
  readonly retryToken: string | undefined;
}

/** How many requests' client ids are kept at least (the oldest beyond twice this are dropped). */
const MAX_CLIENT_IDS = 10_000;

/**
 * Counts requests per route (after authentication), so benches and tests can
 * count API calls, and keeps the last client-sent `opc-request-id` /
 * `opc-retry-token` values.
 */
export class RequestStats {
  private counts = new Map<string, number>();
  private ids: ClientIds[] = [];

  record(route: string, ids: { requestId?: string | undefined; retryToken?: string | undefined } = {}): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    this.ids.push({ route, requestId: ids.requestId, retryToken: ids.retryToken });
    // Trimmed in batches, so a long bench run pays O(1) per request, not a 10k-element shift each.
    if (this.ids.length >= 2 * MAX_CLIENT_IDS) this.ids = this.ids.slice(-MAX_CLIENT_IDS);
  }

  /** Client ids of the requests recorded since the last reset, oldest first. */
  clientIds(): readonly ClientIds[] {
    return this.ids;
  }

  /** Total for a route name, a `service.*` prefix, or `*`. */
  count(pattern = "*"): number {
    let n = 0;
    for (const [route, c] of this.counts) {
      if (pattern === "*" || route === pattern || (pattern.endsWith(".*") && route.startsWith(pattern.slice(0, -1)))) n += c;
    }
    return n;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts = new Map();
    this.ids = [];
  }
}
