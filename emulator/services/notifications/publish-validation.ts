/**
 * PublishMessage request rules (ONS API 20181201, `oci ons message publish` docs):
 * - body `MessageDetails { title?: string, body: string }`;
 * - header `messageType`: `RAW_TEXT` (default) or `JSON`; with `JSON` the body
 *   must be a JSON object with a `default` key (per-protocol keys optional);
 * - the message may be at most 64 KB. We count the UTF-8 bytes of `title` plus
 *   `body` (the message content, not the JSON envelope) against 65,536 bytes;
 *   larger → 400 `MessageTooLarge`.
 */
import { z } from "zod";
import { ServiceError } from "../../http/service-error.js";

export const MAX_MESSAGE_BYTES = 64 * 1024;
export const MESSAGE_TYPES = ["RAW_TEXT", "JSON"] as const;

const MessageDetailsSchema = z.object({ title: z.string().optional(), body: z.string() });
export type MessageDetails = z.infer<typeof MessageDetailsSchema>;

export function messageBytes(d: MessageDetails): number {
  return Buffer.byteLength(d.title ?? "", "utf8") + Buffer.byteLength(d.body, "utf8");
}

export function parsePublish(rawBody: Buffer, messageTypeHeader: string | undefined): MessageDetails & { messageType: string } {
  const messageType = messageTypeHeader ?? "RAW_TEXT";
  if (!(MESSAGE_TYPES as readonly string[]).includes(messageType)) {
    throw new ServiceError(400, "InvalidParameter", `messageType must be one of ${MESSAGE_TYPES.join(", ")} (got '${messageType}')`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new ServiceError(400, "InvalidParameter", "The request body is not valid JSON");
  }
  const parsed = MessageDetailsSchema.safeParse(raw);
  if (!parsed.success) throw new ServiceError(400, "InvalidParameter", `Invalid MessageDetails: ${z.prettifyError(parsed.error)}`);
  const bytes = messageBytes(parsed.data);
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new ServiceError(
      400,
      "MessageTooLarge",
      `The message (title + body) is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (64 KB)`,
    );
  }
  if (messageType === "JSON") jsonMessageDefault(parsed.data.body);
  return { ...parsed.data, messageType };
}

/** The `default` text of a JSON-type message (400 if the body isn't such an object). */
export function jsonMessageDefault(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ServiceError(400, "InvalidParameter", "messageType is JSON but the message body is not valid JSON");
  }
  const parsed = z.looseObject({ default: z.string() }).safeParse(value);
  if (!parsed.success)
    throw new ServiceError(400, "InvalidParameter", "messageType is JSON but the message body has no string 'default' key");
  return parsed.data.default;
}

/** Text for one protocol: for JSON messages the protocol's key (case-insensitive) or `default`. */
export function textFor(messageType: string, body: string, protocol: string): string {
  if (messageType !== "JSON") return body;
  try {
    const obj = z.record(z.string(), z.unknown()).parse(JSON.parse(body));
    for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === protocol.toLowerCase() && typeof v === "string") return v;
    return typeof obj.default === "string" ? obj.default : body;
  } catch {
    return body;
  }
}
