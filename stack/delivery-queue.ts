/**
 * Runs deliveries (function invocations) with bounded concurrency, the way an
 * Events rule fans out to a function without flooding it. A failed delivery is
 * retried after `retryDelayMs`, up to `attempts` times in all.
 */
export interface DeliveryQueueOptions {
  readonly concurrency?: number;
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly onFailure?: (label: string, error: unknown, attempt: number, final: boolean) => void;
}

interface Job {
  readonly label: string;
  readonly run: () => Promise<void>;
  attempt: number;
}

export class DeliveryQueue {
  private readonly waiting: Job[] = [];
  private active = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  delivered = 0;
  failed = 0;

  constructor(private readonly options: DeliveryQueueOptions = {}) {}

  push(label: string, run: () => Promise<void>): void {
    if (this.closed) return;
    this.waiting.push({ label, run, attempt: 0 });
    this.pump();
  }

  get pending(): number {
    return this.waiting.length + this.active + this.timers.size;
  }

  /** Resolves when nothing is queued, running or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued work and pending retries, then waits for deliveries in flight. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.idle();
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 2;
    while (this.active < limit && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.active++;
      job.attempt++;
      job.run().then(
        () => {
          this.delivered++;
          this.finish();
        },
        (err: unknown) => {
          const final = this.closed || job.attempt >= (this.options.attempts ?? 3);
          this.options.onFailure?.(job.label, err, job.attempt, final);
          if (final) this.failed++;
          else {
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              if (!this.closed) this.waiting.push(job);
              this.pump();
              this.checkIdle();
            }, this.options.retryDelayMs ?? 1000);
            this.timers.add(timer);
          }
          this.finish();
        },
      );
    }
    this.checkIdle();
  }

  private finish(): void {
    this.active--;
    this.pump();
  }

  private checkIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
