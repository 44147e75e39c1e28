/**
 * At most `limit` tasks at a time (e.g. requests towards AIDP). No dependency,
 * no timers: waiters are served in FIFO order as running tasks settle.
 *
 * A finishing task hands its slot straight to the first waiter instead of
 * freeing it: the waiter resumes a microtask later, and a slot freed in
 * between would let a caller arriving in that gap start too, one task over
 * the limit (test/unit/concurrency/semaphore.test.ts, "late arrivals").
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Semaphore limit must be a positive integer (got ${limit})`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // The slot is counted for us by the task that wakes us (hand-off).
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    }
  }

  get running(): number {
    return this.active;
  }
}

export type BoundedOutcome<R> = { started: false } | { started: true; ok: true; value: R } | { started: true; ok: false; error: unknown };

/**
 * Runs `task` for each item with at most `limit` in flight: `limit` workers
 * take the next item in turn, so there is never a slot to overshoot. `canStart`
 * is asked before each item starts (e.g. "is the work deadline still
 * ahead?"); items it refuses are reported as not started. Never rejects: each
 * item's outcome is returned in input order.
 */
export async function forEachBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  canStart: () => boolean = () => true,
): Promise<Array<BoundedOutcome<R>>> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`forEachBounded limit must be a positive integer (got ${limit})`);
  const results: Array<BoundedOutcome<R>> = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      if (!canStart()) {
        results[i] = { started: false };
        continue;
      }
      try {
        results[i] = { started: true, ok: true, value: await task(items[i] as T, i) };
      } catch (error) {
        results[i] = { started: true, ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
