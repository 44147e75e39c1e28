/**
 * At most `limit` tasks at a time (e.g. requests towards AIDP). No dependency,
 * no timers: waiters are released in FIFO order as running tasks settle.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Semaphore limit must be a positive integer (got ${limit})`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiters.shift()?.();
    }
  }

  get running(): number {
    return this.active;
  }
}

/**
 * Runs `task` for each item with at most `limit` in flight. `canStart` is
 * asked before each item starts (e.g. "is the work deadline still ahead?");
 * items it refuses are reported as not started. Never rejects: each item's
 * outcome is returned in input order.
 */
export async function forEachBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  canStart: () => boolean = () => true,
): Promise<Array<{ started: false } | { started: true; ok: true; value: R } | { started: true; ok: false; error: unknown }>> {
  const semaphore = new Semaphore(limit);
  return Promise.all(
    items.map((item, i) =>
      semaphore.run(async () => {
        if (!canStart()) return { started: false as const };
        try {
          return { started: true as const, ok: true as const, value: await task(item, i) };
        } catch (error) {
          return { started: true as const, ok: false as const, error };
        }
      }),
    ),
  );
}
