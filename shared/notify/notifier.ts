/**
 * The port through which announcements leave: ONS in production
 * (`oci-notifier.ts`), memory in unit tests (`test/support/memory-notifier.ts`).
 */
import { AidpWatchError, type ErrorContext } from "../errors/aidp-watch-error.js";
import type { Deadline } from "../time/deadline.js";

export interface OutgoingMessage {
  readonly title: string;
  readonly body: string;
}

export interface PublishReceipt {
  readonly messageId: string;
  readonly opcRequestId?: string | undefined;
}

export interface Notifier {
  publish(message: OutgoingMessage, options: { deadline: Deadline }): Promise<PublishReceipt>;
}

export class NotifyError extends AidpWatchError {}

/** The message was not (or not known to be) accepted. `retryable`: trying again later may work. */
export class PublishFailedError extends NotifyError {
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number | undefined; context?: ErrorContext } = {}) {
    super(message, { cause: options.cause, context: { status: options.status, ...options.context } });
    this.status = options.status;
  }
}
