import type { Deadline } from "../../shared/time/deadline.js";
import type { Notifier, OutgoingMessage, PublishReceipt } from "../../shared/notify/notifier.js";
import { PublishFailedError } from "../../shared/notify/notifier.js";

/** Keeps published messages in memory; `failNext(n)` makes the next n publishes fail. For unit tests. */
export class MemoryNotifier implements Notifier {
  readonly messages: OutgoingMessage[] = [];
  private failures = 0;
  private seq = 0;

  failNext(n = 1): void {
    this.failures += n;
  }

  async publish(message: OutgoingMessage, _options: { deadline: Deadline }): Promise<PublishReceipt> {
    if (this.failures > 0) {
      this.failures--;
      throw new PublishFailedError("injected publish failure", { status: 503 });
    }
    this.messages.push(message);
    this.seq++;
    return { messageId: `memory-${this.seq}` };
  }
}
