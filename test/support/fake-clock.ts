import type { Clock } from "../../shared/time/clock.js";

interface Sleeper {
  readonly dueAt: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** 2026-11-23T12:00:00.000Z: a fixed, readable default start. */
export const FAKE_CLOCK_START_MS = Date.UTC(2026, 10, 23, 12, 0, 0);

/**
 * A `Clock` that only moves when told to. `sleep(ms)` resolves once the clock
 * has been advanced to (or past) its due time; sleepers resolve in due-time
 * order, each with `now()` set to its own due time, so code that sleeps in a
 * loop (backoff, polling) runs exactly as it would in real time.
 *
 * ```ts
 * const clock = new FakeClock();
 * const done = retryingCall(clock);      // sleeps 1 s, 2 s, 4 s…
 * await clock.advance(10_000);           // runs every sleep due within 10 s
 * ```
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(startMs: number = FAKE_CLOCK_START_MS) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        dueAt: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", sleeper.onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /**
   * Moves time forward by `ms`, resolving every sleep that falls due on the
   * way — including sleeps started by code that an earlier sleep woke up —
   * and yielding to the event loop after each, so their continuations run.
   * With no sleeper due, time moves synchronously (awaiting is still safe).
   */
  async advance(ms: number): Promise<void> {
    if (ms < 0) throw new RangeError(`FakeClock cannot go back in time (advance(${ms}))`);
    await this.advanceTo(this.current + ms);
  }

  /** Like `advance`, to an absolute time (epoch ms); never moves backwards. */
  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      const next = this.nextSleeper(targetMs);
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.signal?.removeEventListener("abort", next.onAbort);
      this.current = Math.max(this.current, next.dueAt);
      next.resolve();
      await new Promise<void>((r) => setImmediate(r));
    }
    this.current = Math.max(this.current, targetMs);
  }

  /** Sleeps started and not yet resolved or aborted. */
  pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** When the earliest pending sleep falls due (epoch ms), if any. */
  nextDueAt(): number | undefined {
    return this.nextSleeper(Number.POSITIVE_INFINITY)?.dueAt;
  }

  /** Advances to each pending sleep in turn until none is left (at most `maxSteps`, default 1000). */
  async runAll(maxSteps = 1000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      const due = this.nextDueAt();
      if (due === undefined) return;
      await this.advanceTo(due);
    }
    throw new Error(`FakeClock.runAll: still sleeping after ${maxSteps} steps (a loop that never ends?)`);
  }

  /**
   * Lets `work` run on this clock: whenever it is asleep (a sleep pending),
   * time jumps to the next due sleep; otherwise the event loop turns (real
   * I/O, e.g. requests to the emulator, completes). Resolves or rejects with
   * `work`. For loops whose waits are on this clock and whose I/O is not.
   */
  async runUntilSettled<T>(work: Promise<T>, maxTurns = 100_000): Promise<T> {
    let settled = false;
    const settle = () => {
      settled = true;
    };
    work.then(settle, settle);
    for (let i = 0; i < maxTurns && !settled; i++) {
      const due = this.nextDueAt();
      if (due !== undefined) await this.advanceTo(due);
      else await new Promise<void>((r) => setImmediate(r));
    }
    if (!settled) throw new Error(`FakeClock.runUntilSettled: still running after ${maxTurns} turns`);
    return work;
  }

  private nextSleeper(limit: number): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (s.dueAt > limit) continue;
      if (!best || s.dueAt < best.dueAt || (s.dueAt === best.dueAt && s.seq < best.seq)) best = s;
    }
    return best;
  }
}
