/**
 * Pagination like the real API (`limit` + opaque `page` = the previous
 * response's `opc-next-page`), made stable while the list changes between
 * pages: the token encodes the sort position of the last item served
 * (`[sortValue, key]`), not an offset. The next page starts strictly after
 * that position, so inserting or deleting items never makes a surviving item
 * appear twice or be skipped; only items added behind the cursor are missed
 * (as with any keyset pager). The token also carries a fingerprint of the
 * filters and sort order, and is rejected (400 InvalidParameter) when reused
 * with a different query — a client bug worth failing loudly on.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { badRequest } from "../../http/service-error.js";

export type SortValue = string | number;

export interface Sortable {
  readonly sortValue: SortValue;
  readonly key: string;
}

const TokenSchema = z.strictObject({
  v: z.literal(1),
  q: z.string(),
  after: z.tuple([z.union([z.string(), z.number()]), z.string()]),
});

export function queryFingerprint(query: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

function compare(a: Sortable, b: Sortable): number {
  if (a.sortValue !== b.sortValue) {
    if (typeof a.sortValue === "number" && typeof b.sortValue === "number") return a.sortValue - b.sortValue;
    return String(a.sortValue) < String(b.sortValue) ? -1 : 1;
  }
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function decodeToken(page: string, fingerprint: string): Sortable {
  let parsed: z.infer<typeof TokenSchema>;
  try {
    parsed = TokenSchema.parse(JSON.parse(Buffer.from(page, "base64url").toString("utf8")));
  } catch {
    throw badRequest("InvalidParameter", "Invalid page token: pass the opc-next-page value of the previous response unchanged");
  }
  if (parsed.q !== fingerprint) {
    throw badRequest("InvalidParameter", "Invalid page token: it belongs to a list request with other filters or sort order");
  }
  return { sortValue: parsed.after[0], key: parsed.after[1] };
}

function encodeToken(last: Sortable, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, q: fingerprint, after: [last.sortValue, last.key] })).toString("base64url");
}

export interface Page<T> {
  readonly items: T[];
  /** Value for the `opc-next-page` header; undefined on the last page. */
  readonly nextPage: string | undefined;
}

export function keysetPage<T extends Sortable>(
  items: readonly T[],
  opts: { order: "ASC" | "DESC"; limit: number; page: string | undefined; fingerprint: string },
): Page<T> {
  const sign = opts.order === "ASC" ? 1 : -1;
  const sorted = [...items].sort((a, b) => sign * compare(a, b));
  const after = opts.page === undefined ? undefined : decodeToken(opts.page, opts.fingerprint);
  const rest = after === undefined ? sorted : sorted.filter((it) => sign * compare(it, after) > 0);
  const pageItems = rest.slice(0, opts.limit);
  const last = pageItems.at(-1);
  const nextPage = rest.length > opts.limit && last ? encodeToken(last, opts.fingerprint) : undefined;
  return { items: pageItems, nextPage };
}
