import { z } from "zod";

/** A message accepted by PublishMessage, as the emulator keeps it. */
export const PublishedMessageSchema = z.object({
  messageId: z.string(),
  topicId: z.string(),
  title: z.string().optional(),
  body: z.string(),
  /** `RAW_TEXT` or `JSON` (the request's `messageType` header; default `RAW_TEXT`). */
  messageType: z.string(),
  /** ISO 8601. */
  receivedAt: z.string(),
  requestId: z.string(),
});
export type PublishedMessage = z.infer<typeof PublishedMessageSchema>;

export type Subscription = { protocol: "EMAIL"; address: string } | { protocol: "SLACK"; webhookUrl: string };

export const SubscriptionSchema = z.discriminatedUnion("protocol", [
  z.object({ protocol: z.literal("EMAIL"), address: z.string().min(1) }),
  z.object({ protocol: z.literal("SLACK"), webhookUrl: z.url() }),
]);
