/**
 * An absolute point in time by which a whole unit of work must be done: a
 * function invocation passes its `Fn-Deadline`, the CLI a `--timeout`. Every
 * network attempt and every retry sleep is bounded by it, so no work is left
 * running when OCI Functions freezes or kills the container.
 */
import { type Clock, systemClock } from "./clock.js";

export class Deadline {
  private constructor(
    readonly atMs: number,
    private readonly clock: Clock,
  ) {}

  static at(atMs: number, clock: Clock = systemClock): Deadline {
    return new Deadline(atMs, clock);
  }

  static in(ms: number, clock: Clock = systemClock): Deadline {
    return new Deadline(clock.now() + ms, clock);
  }

  /** A deadline that never expires within any practical run (CLI default is finite; this is for tools). */
  static none(clock: Clock = systemClock): Deadline {
    return new Deadline(Number.MAX_SAFE_INTEGER, clock);
  }

  /**
   * From an RFC 3339 `Fn-Deadline` header. `reserveMs` is kept back so the
   * caller still has time to save state and answer after its work stops.
   */
  static fromFnDeadline(header: string | Date | null | undefined, fallbackMs: number, reserveMs = 0, clock: Clock = systemClock): Deadline {
    const parsed = header instanceof Date ? header.getTime() : header ? Date.parse(header) : Number.NaN;
    const at = Number.isFinite(parsed) ? parsed : clock.now() + fallbackMs;
    return new Deadline(at - reserveMs, clock);
  }

  remainingMs(): number {
    return this.atMs - this.clock.now();
  }

  get expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** True when `ms` of work can still finish before the deadline. */
  allows(ms: number): boolean {
    return this.remainingMs() >= ms;
  }

  /** A sub-deadline `reserveMs` earlier (e.g. stop starting work 5 s before saving state). */
  minus(reserveMs: number): Deadline {
    return new Deadline(this.atMs - reserveMs, this.clock);
  }

  /** The earlier of this deadline and `now + ms`. */
  capped(ms: number): Deadline {
    return new Deadline(Math.min(this.atMs, this.clock.now() + ms), this.clock);
  }

  get clockSource(): Clock {
    return this.clock;
  }

  toISOString(): string {
    return this.atMs >= Number.MAX_SAFE_INTEGER ? "never" : new Date(this.atMs).toISOString();
  }
}
