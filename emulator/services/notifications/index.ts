import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { type Logger, silentLogger } from "../../../shared/log/logger.js";
import { ServiceError } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import type { EmulatorContext, EmulatorService } from "../../server.js";
import { MessageLog } from "./message-log.js";
import { PublishRateLimiter } from "./publish-rate-limiter.js";
import { parsePublish } from "./publish-validation.js";
import { type PublishedMessage, type Subscription, SubscriptionSchema } from "./published-message.js";
import { type DeliveryRecord, SubscriptionDelivery } from "./subscription-delivery.js";

export type { PublishedMessage, Subscription } from "./published-message.js";
export type { DeliveryRecord } from "./subscription-delivery.js";

/**
 * OCI Notifications data plane: `POST /20181201/topics/{topicId}/messages`
 * (PublishMessage), for the real `oci-ons` client. Every accepted message is
 * kept (and appended to `<dataDir>/notifications/messages.jsonl` when the
 * emulator persists), handed to `onMessage` listeners and delivered to
 * simulated subscriptions (see `SubscriptionDelivery`).
 *
 * Admin (unauthenticated) routes under `/_emulator/notifications`:
 * `GET /messages?topicId=`, `GET /deliveries`, `GET /topics`, `POST /topics/:topicId`,
 * `POST /subscriptions` with `{ topicId, protocol: "EMAIL", address } | { topicId, protocol: "SLACK", webhookUrl }`.
 */
export interface NotificationsOptions {
  topics?: string[];
  /** Enforce 60 publishes per minute per topic (429 TooManyRequests). @default false */
  enforceRateLimit?: boolean;
  /** Folder for EMAIL deliveries. @default `<dataDir>/notifications/email` when persisting */
  emailDir?: string;
  /** Where delivery failures are reported (besides the delivery log). */
  logger?: Logger;
}

export interface NotificationsEmulator extends EmulatorService {
  createTopic(topicId: string): void;
  messages(topicId?: string): PublishedMessage[];
  subscribe(topicId: string, sub: Subscription): void;
  onMessage(listener: (m: PublishedMessage) => void): () => void;
  /** Delivery attempts (newest last, at most 1,000). */
  deliveries(): readonly DeliveryRecord[];
  /** Resolves when background (Slack) deliveries in flight have finished. */
  flushDeliveries(): Promise<void>;
  /** Folder EMAIL deliveries of this topic are written to, if any. */
  emailFolder(topicId: string): string | undefined;
}

const AdminSubscriptionSchema = z.intersection(z.object({ topicId: z.string().min(1) }), SubscriptionSchema);

export function notificationsService(options: NotificationsOptions = {}): (ctx: EmulatorContext) => NotificationsEmulator {
  return (ctx) => {
    const logger = options.logger ?? silentLogger;
    const stateDir = ctx.dataDir === undefined ? undefined : join(ctx.dataDir, "notifications");
    const log = stateDir === undefined ? undefined : new MessageLog(join(stateDir, "messages.jsonl"), logger);
    const emailDir = options.emailDir ?? (stateDir === undefined ? undefined : join(stateDir, "email"));
    const delivery = new SubscriptionDelivery(emailDir, stateDir === undefined ? undefined : join(stateDir, "deliveries.jsonl"), logger);
    const limiter = new PublishRateLimiter(ctx.clock);
    const topics = new Set<string>(options.topics ?? []);
    const stored: PublishedMessage[] = log?.load() ?? [];
    const subscriptions = new Map<string, Subscription[]>();
    const listeners = new Set<(m: PublishedMessage) => void>();

    const requireTopic = (topicId: string): void => {
      if (!topics.has(topicId)) throw new ServiceError(404, "NotAuthorizedOrNotFound", `Topic ${topicId} not found or not authorized`);
    };

    const subscribe = (topicId: string, sub: Subscription): void => {
      const parsed = SubscriptionSchema.parse(sub);
      if (parsed.protocol === "EMAIL" && emailDir === undefined) {
        throw new ServiceError(400, "InvalidParameter", "EMAIL subscriptions need an emailDir (or a dataDir)");
      }
      requireTopic(topicId);
      subscriptions.set(topicId, [...(subscriptions.get(topicId) ?? []), parsed]);
    };

    function publish(req: EmuRequest): EmuResponse {
      const topicId = req.params.topicId!;
      requireTopic(topicId);
      if (options.enforceRateLimit) {
        const wait = limiter.retryAfterSeconds(topicId);
        if (wait > 0) {
          throw new ServiceError(429, "TooManyRequests", `Too many requests: topic ${topicId} accepts 60 messages per minute`, {
            "retry-after": wait,
          });
        }
      }
      const mt = req.headers.messagetype;
      const details = parsePublish(req.body, Array.isArray(mt) ? mt[0] : mt);
      limiter.record(topicId);
      const m: PublishedMessage = {
        messageId: randomUUID(),
        topicId,
        ...(details.title === undefined ? {} : { title: details.title }),
        body: details.body,
        messageType: details.messageType,
        receivedAt: new Date(ctx.clock.now()).toISOString(),
        requestId: req.requestId,
      };
      stored.push(m);
      log?.append(m);
      for (const listener of listeners) {
        try {
          listener(m);
        } catch (err) {
          logger.warn("onMessage listener threw", { error: err });
        }
      }
      for (const sub of subscriptions.get(topicId) ?? []) delivery.deliver(m, sub);
      return { status: 200, body: { messageId: m.messageId, timeStamp: m.receivedAt } };
    }

    const messages = (topicId?: string): PublishedMessage[] => stored.filter((m) => topicId === undefined || m.topicId === topicId);

    const adminRoutes = (): RouteDef[] => [
      {
        method: "GET",
        pattern: "/messages",
        name: "onsAdmin.messages",
        handler: (req) => ({ status: 200, body: messages(req.query.get("topicId") ?? undefined) }),
      },
      { method: "GET", pattern: "/deliveries", name: "onsAdmin.deliveries", handler: () => ({ status: 200, body: delivery.log() }) },
      { method: "GET", pattern: "/topics", name: "onsAdmin.topics", handler: () => ({ status: 200, body: [...topics] }) },
      {
        method: "POST",
        pattern: "/topics/:topicId",
        name: "onsAdmin.createTopic",
        handler: (req) => {
          topics.add(req.params.topicId!);
          return { status: 200, body: { topicId: req.params.topicId } };
        },
      },
      {
        method: "POST",
        pattern: "/subscriptions",
        name: "onsAdmin.subscribe",
        handler: (req) => {
          let raw: unknown;
          try {
            raw = JSON.parse(req.body.toString("utf8"));
          } catch {
            throw new ServiceError(400, "InvalidParameter", "The request body is not valid JSON");
          }
          const parsed = AdminSubscriptionSchema.safeParse(raw);
          if (!parsed.success) throw new ServiceError(400, "InvalidParameter", z.prettifyError(parsed.error));
          const { topicId, ...sub } = parsed.data;
          subscribe(topicId, sub);
          return { status: 200, body: { topicId, protocol: sub.protocol } };
        },
      },
    ];

    return {
      name: "notifications",
      routes: () => [{ method: "POST", pattern: "/20181201/topics/:topicId/messages", name: "ons.publishMessage", handler: publish }],
      adminRoutes,
      createTopic: (topicId) => {
        topics.add(topicId);
      },
      messages,
      subscribe,
      onMessage(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
      deliveries: () => delivery.log(),
      flushDeliveries: () => delivery.flush(),
      emailFolder: (topicId) => delivery.emailFolder(topicId),
      close: () => delivery.flush(),
    };
  };
}
