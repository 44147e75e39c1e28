/**
 * ONS's documented publish limit: 60 messages per minute per topic. A sliding
 * 60-second window of accepted publishes per topic, on the emulator's clock.
 */
import type { Clock } from "../../../shared/time/clock.js";

export const PUBLISHES_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

export class PublishRateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit = PUBLISHES_PER_MINUTE,
  ) {}

  /** Seconds to wait before the next publish is allowed, or 0 if allowed now. */
  retryAfterSeconds(topicId: string): number {
    const now = this.clock.now();
    const w = this.prune(topicId, now);
    if (w.length < this.limit) return 0;
    return Math.max(1, Math.ceil((w[0]! + WINDOW_MS - now) / 1000));
  }

  record(topicId: string): void {
    const now = this.clock.now();
    this.prune(topicId, now).push(now);
  }

  private prune(topicId: string, now: number): number[] {
    let w = this.windows.get(topicId);
    if (!w) {
      w = [];
      this.windows.set(topicId, w);
    }
    while (w.length > 0 && w[0]! <= now - WINDOW_MS) w.shift();
    return w;
  }
}
