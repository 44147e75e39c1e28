/**
 * The ONS adapter: `PublishMessage` with `messageType: RAW_TEXT` (the JSON
 * message type is deprecated; a JSON body is sent as raw text).
 *
 * PublishMessage has no retry token, so it is sent as a non-idempotent call
 * of the one retry loop (`sdkCall`, `idempotent: false`): only failures after
 * which ONS surely did not accept the message are retried (429, connection
 * refused; see retry-classification.ts), with
 * backoff and never past the deadline. Any other failure (5xx, a reset, a
 * timeout) is ambiguous — ONS may have accepted the message — and is returned
 * to the caller, which leaves the announcement pending rather than risk a
 * storm of repeats. Each attempt is aborted (socket closed) when its timeout
 * or the deadline passes.
 */
import type { NotificationDataPlaneClient, requests } from "oci-ons";
import { HttpError, ServiceError } from "../http/http-errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry-policy.js";
import type { RandomSource } from "../http/retry-timing.js";
import { type Logger, silentLogger } from "../log/logger.js";
import { sdkCall } from "../oci/sdk-call.js";
import { type Clock, systemClock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import type { Notifier, OutgoingMessage, PublishReceipt } from "./notifier.js";
import { PublishFailedError } from "./notifier.js";

export interface OciNotifierOptions {
  /** The client, or how to get it on the first publish (`OciClients.notifications`: loads `oci-ons` then). */
  readonly client: NotificationDataPlaneClient | (() => Promise<NotificationDataPlaneClient>);
  readonly topicId: string;
  readonly logger?: Logger;
  /** @default DEFAULT_RETRY_POLICY (5 attempts, waits up to 8 s) */
  readonly retryPolicy?: RetryPolicy;
  readonly random?: RandomSource;
  /** Sleeps between throttled attempts. @default systemClock */
  readonly clock?: Clock;
}

export class OciNotifier implements Notifier {
  private readonly logger: Logger;
  private readonly policy: RetryPolicy;
  private readonly random: RandomSource;

  constructor(private readonly options: OciNotifierOptions) {
    this.logger = options.logger ?? silentLogger;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.random = options.random ?? Math.random;
  }

  private client(): Promise<NotificationDataPlaneClient> {
    const c = this.options.client;
    return typeof c === "function" ? c() : Promise.resolve(c);
  }

  async publish(message: OutgoingMessage, options: { deadline: Deadline }): Promise<PublishReceipt> {
    const clock = this.options.clock ?? systemClock;
    if (options.deadline.expired) throw new PublishFailedError("no time left to publish before the deadline", { context: { attempts: 0 } });
    const client = await this.client();
    try {
      return await sdkCall(
        {
          operation: "ons.publishMessage",
          deadline: options.deadline,
          policy: this.policy,
          clock,
          random: this.random,
          logger: this.logger,
          idempotent: false,
        },
        async () => {
          const response = await client.publishMessage({
            topicId: this.options.topicId,
            messageDetails: { title: message.title, body: message.body },
            // The enum's value, without loading oci-ons for it (the client may not be built yet).
            messageType: "RAW_TEXT" as requests.PublishMessageRequest.MessageType.RawText,
          });
          return { messageId: response.publishResult.messageId, opcRequestId: response.opcRequestId };
        },
      );
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      throw new PublishFailedError(`publishing to the topic failed: ${err.message}`, {
        cause: err,
        status: err instanceof ServiceError ? err.status : undefined,
        context: { attempts: err.attempts, deadlineLimited: err.deadlineLimited, opcRequestId: err.opcRequestId },
      });
    }
  }
}
