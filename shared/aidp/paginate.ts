/**
 * Paging over `opc-next-page` (oci-facts §1.2): request the first page, then
 * pass each response's `opc-next-page` as `page` until the header is absent.
 */
export interface Page<T> {
  readonly items: readonly T[];
  /** `opc-next-page` of this response; absent on the last page. */
  readonly nextPage: string | undefined;
  readonly opcRequestId: string | undefined;
}

/** Pages from `fetchPage`, starting at `firstPage` (undefined = the first page). */
export async function* paginate<T, P extends Page<T>>(fetchPage: (page: string | undefined) => Promise<P>, firstPage?: string): AsyncGenerator<P, void, undefined> {
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

/** The items of every page, in order. */
export async function* itemsOf<T>(pages: AsyncIterable<Page<T>>): AsyncGenerator<T, void, undefined> {
  for await (const p of pages) yield* p.items;
}

/** Every item of every page (stops early after `maxItems`). */
export async function collectAll<T>(pages: AsyncIterable<Page<T>>, maxItems = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  for await (const item of itemsOf(pages)) {
    out.push(item);
    if (out.length >= maxItems) break;
  }
  return out;
}
