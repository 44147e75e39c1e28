/**
 * Paging over `opc-next-page` (docs/aidp-api.md, "Pagination"): request the
 * first page, then pass each response's `opc-next-page` as `page` until the
 * header is absent. Every list call of the AIDP client is one `Listing`: its
 * pages one at a time, all of them in turn, or every item collected.
 */
export interface Page<T> {
  readonly items: readonly T[];
  /** `opc-next-page` of this response; absent on the last page. */
  readonly nextPage: string | undefined;
  readonly opcRequestId: string | undefined;
}

/** Pages from `fetchPage`, starting at `firstPage` (undefined = the first page). */
export async function* paginate<T, P extends Page<T>>(
  fetchPage: (page: string | undefined) => Promise<P>,
  firstPage?: string,
): AsyncGenerator<P, void, undefined> {
  let page = firstPage;
  const seen = new Set<string>();
  for (;;) {
    const result = await fetchPage(page);
    yield result;
    if (!result.nextPage || seen.has(result.nextPage)) return; // a repeated token would loop forever
    seen.add(result.nextPage);
    page = result.nextPage;
  }
}

/** Every item of every page, in order (stops early after `maxItems`). */
export async function collectAll<T>(pages: AsyncIterable<Page<T>>, maxItems = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) {
    for (const item of p.items) {
      out.push(item);
      if (out.length >= maxItems) return out;
    }
  }
  return out;
}

/**
 * One list call. Nothing is sent until it is used: `page(token)` fetches one
 * page (the first, or the one `token` names), iterating it (`for await`)
 * follows `opc-next-page` through every page, and `all(maxItems)` collects
 * their items.
 */
export class Listing<T, P extends Page<T> = Page<T>> implements AsyncIterable<P> {
  constructor(
    private readonly fetchPage: (page: string | undefined) => Promise<P>,
    private readonly firstPage?: string,
  ) {}

  page(token: string | undefined = this.firstPage): Promise<P> {
    return this.fetchPage(token);
  }

  [Symbol.asyncIterator](): AsyncIterator<P> {
    return paginate<T, P>(this.fetchPage, this.firstPage);
  }

  all(maxItems?: number): Promise<T[]> {
    return collectAll<T>(this, maxItems);
  }
}
