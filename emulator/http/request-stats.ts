/** Counts requests per route (after authentication), so benches and tests can count API calls. */
export class RequestStats {
  private counts = new Map<string, number>();

  record(route: string): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
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
  }
}
