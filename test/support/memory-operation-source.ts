import type { OperationSnapshot } from "../../shared/watch/operation.js";
import type { GetResult, ListQuery, OperationPage, OperationSource } from "../../shared/watch/operation-source.js";

/**
 * An `OperationSource` over a map, for unit tests of the sweep: list filters
 * and pagination like the AIDP API (timeStarted order), call counts, and
 * injectable failures.
 */
export class MemoryOperationSource implements OperationSource {
  readonly ops = new Map<string, Map<string, OperationSnapshot>>();
  readonly calls = { list: 0, get: 0 };
  failGets = 0;
  /** Fail the listing of this status (once per unit) after its first page is requested. */
  failLists: Record<string, number> = {};
  private seq = 0;

  put(platformId: string, op: OperationSnapshot): void {
    let m = this.ops.get(platformId);
    if (!m) {
      m = new Map();
      this.ops.set(platformId, m);
    }
    m.set(op.key, op);
  }

  update(platformId: string, key: string, patch: Partial<OperationSnapshot>): void {
    const op = this.ops.get(platformId)?.get(key);
    if (!op) throw new Error(`no operation ${key}`);
    this.put(platformId, { ...op, ...patch });
  }

  remove(platformId: string, key: string): void {
    this.ops.get(platformId)?.delete(key);
  }

  async *listPages(platformId: string, query: ListQuery): AsyncIterable<OperationPage> {
    const all = [...(this.ops.get(platformId)?.values() ?? [])]
      .filter((o) => o.status === query.status && (query.resourceType === undefined || o.resourceType === query.resourceType))
      .sort((a, b) => (a.timeStarted ?? "").localeCompare(b.timeStarted ?? "") * (query.sortOrder === "ASC" ? 1 : -1));
    let i = 0;
    do {
      this.calls.list++;
      if ((this.failLists[query.status] ?? 0) > 0) {
        this.failLists[query.status]!--;
        throw new Error(`injected list failure (${query.status})`);
      }
      const items = all.slice(i, i + query.limit);
      i += query.limit;
      yield { items, opcRequestId: `list-${++this.seq}` };
    } while (i < all.length);
  }

  async get(platformId: string, key: string): Promise<GetResult> {
    this.calls.get++;
    if (this.failGets > 0) {
      this.failGets--;
      throw new Error("injected get failure");
    }
    const op = this.ops.get(platformId)?.get(key);
    return op ? { kind: "found", op, opcRequestId: `get-${++this.seq}` } : { kind: "not-found", opcRequestId: `get-${++this.seq}` };
  }
}
