/**
 * A clock that runs `speed` times faster than `base`: from `startMs` (the
 * simulated time at construction) it advances `speed` ms per real ms, and
 * `sleep(ms)` waits `ms / speed` real ms.
 *
 * Not what the local stack's `--speed` uses: the functions run in their own
 * processes on the real clock (as in OCI), so an emulator on a scaled clock
 * would hand them operation times in their future. The demo scenario instead
 * divides its durations by the speed (`seedDemoPlatform`), keeping emulator
 * and functions on one timeline. This clock is for in-process scenarios where
 * every party shares it.
 */
import { type Clock, systemClock } from "../shared/time/clock.js";

export class ScaledClock implements Clock {
  private readonly base: Clock;
  private readonly realStart: number;
  readonly startMs: number;

  constructor(
    readonly speed: number,
    options: { startMs?: number; base?: Clock } = {},
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`ScaledClock speed must be a positive number (got ${speed})`);
    this.base = options.base ?? systemClock;
    this.realStart = this.base.now();
    this.startMs = options.startMs ?? this.realStart;
  }

  now(): number {
    return Math.floor(this.startMs + (this.base.now() - this.realStart) * this.speed);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.base.sleep(Math.max(0, ms) / this.speed, signal);
  }

  /** Real milliseconds that `simulatedMs` takes on this clock. */
  toRealMs(simulatedMs: number): number {
    return simulatedMs / this.speed;
  }
}
