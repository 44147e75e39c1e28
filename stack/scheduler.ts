/**
 * The local stand-in for an OCI Functions schedule: invokes a function every
 * `intervalMs`. By default a tick that finds the previous invocation still
 * running is skipped (counted in `skipped`); with `allowOverlap` it starts
 * anyway, as a real OCI schedule would (poll is safe either way).
 */
import { type Clock, systemClock } from "../shared/time/clock.js";

export interface SchedulerOptions<T> {
  readonly intervalMs: number;
  readonly invoke: (tick: number) => Promise<T>;
  readonly allowOverlap?: boolean;
  /** Run the first tick immediately. @default true */
  readonly immediate?: boolean;
  readonly clock?: Clock;
  readonly onResult?: (result: T, tick: number) => void;
  readonly onError?: (error: unknown, tick: number) => void;
}

export class Scheduler<T> {
  private readonly clock: Clock;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  ticks = 0;
  skipped = 0;
  completed = 0;
  failed = 0;

  constructor(private readonly options: SchedulerOptions<T>) {
    if (!(options.intervalMs > 0)) throw new RangeError(`scheduler interval must be positive (got ${options.intervalMs})`);
    this.clock = options.clock ?? systemClock;
  }

  get running(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Invokes once now (outside the rhythm), unless one is running and overlap is off. Resolves when it finishes. */
  async trigger(): Promise<void> {
    const started = this.fire();
    if (started) await started;
  }

  /** Stops ticking and waits for invocations in flight to finish. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    await Promise.all([...this.inFlight]);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let first = this.options.immediate ?? true;
    while (!signal.aborted) {
      if (!first) {
        try {
          await this.clock.sleep(this.options.intervalMs, signal);
        } catch {
          return;
        }
      }
      first = false;
      this.fire();
    }
  }

  private fire(): Promise<void> | undefined {
    const tick = ++this.ticks;
    if (this.inFlight.size > 0 && !this.options.allowOverlap) {
      this.skipped++;
      return undefined;
    }
    const p = this.options.invoke(tick).then(
      (result) => {
        this.completed++;
        this.options.onResult?.(result, tick);
      },
      (err: unknown) => {
        this.failed++;
        this.options.onError?.(err, tick);
      },
    );
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }
}
