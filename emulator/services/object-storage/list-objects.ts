/**
 * ListObjects paging, as OCI documents it: names in code-point order,
 * filtered by `prefix`, from `start` (inclusive) or after `startAfter`, up to
 * `end` (exclusive). With `delimiter=/`, names with a `/` after the prefix are
 * rolled up into `prefixes` (each counts once toward `limit`). When the page is
 * full and more entries follow, `nextStartWith` is the next name to pass as
 * `start`.
 */
import { compareNames } from "./object-name.js";
import type { SortedNames } from "./sorted-names.js";

export interface ListParams {
  readonly prefix?: string;
  readonly start?: string;
  readonly end?: string;
  readonly startAfter?: string;
  readonly limit: number;
  readonly delimiter?: string;
}

export interface ListPage {
  readonly names: string[];
  readonly prefixes: string[];
  readonly nextStartWith?: string;
}

export function listPage(index: SortedNames, p: ListParams): ListPage {
  const all = index.all;
  const prefix = p.prefix ?? "";
  let from = prefix;
  if (p.start !== undefined && compareNames(p.start, from) > 0) from = p.start;
  let i = index.lowerBound(from);
  if (p.startAfter !== undefined) {
    const j = index.lowerBound(p.startAfter);
    const after = all[j] === p.startAfter ? j + 1 : j;
    i = Math.max(i, after);
  }
  const names: string[] = [];
  const prefixes: string[] = [];
  let count = 0;
  while (i < all.length) {
    const name = all[i]!;
    if (!name.startsWith(prefix)) break;
    if (p.end !== undefined && compareNames(name, p.end) >= 0) break;
    if (count === p.limit) return { names, prefixes, nextStartWith: name };
    const slash = p.delimiter ? name.indexOf(p.delimiter, prefix.length) : -1;
    if (slash === -1) {
      names.push(name);
      i++;
    } else {
      const rolled = name.slice(0, slash + 1);
      prefixes.push(rolled);
      while (i < all.length && all[i]!.startsWith(rolled)) i++;
    }
    count++;
  }
  return { names, prefixes };
}
