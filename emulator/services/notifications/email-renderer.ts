/**
 * Renders a message the way an EMAIL subscription receives it: an RFC 5322
 * message (CRLF line ends) with `Subject:` = the title (RFC 2047-encoded when
 * not ASCII; "OCI Notification" when there is no title), a plain-text UTF-8
 * body, the X-OCI-NS-* headers ONS documents for deliveries, and the
 * unsubscribe footer every ONS email carries.
 */
import type { PublishedMessage } from "./published-message.js";
import { textFor } from "./publish-validation.js";

export const DEFAULT_SUBJECT = "OCI Notification";
const FROM = "Oracle Cloud Infrastructure Notifications Service <noreply@notification.us-ashburn-1.oci.oraclecloud.com>";

function encodeHeaderText(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : `=?UTF-8?B?${Buffer.from(oneLine, "utf8").toString("base64")}?=`;
}

export function renderEmail(m: PublishedMessage, to: string): string {
  const body = textFor(m.messageType, m.body, "EMAIL").replace(/\r?\n/g, "\r\n");
  const headers = [
    `From: ${FROM}`,
    `To: ${to}`,
    `Subject: ${encodeHeaderText(m.title ?? DEFAULT_SUBJECT)}`,
    `Date: ${new Date(m.receivedAt).toUTCString()}`,
    `Message-ID: <${m.messageId}@notification.emulator.invalid>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
    `X-OCI-NS-MessageId: ${m.messageId}`,
    `X-OCI-NS-TopicOcid: ${m.topicId}`,
    `X-OCI-NS-MessageType: ${m.messageType}`,
  ];
  const footer = `--\r\nYou are receiving notifications as a subscriber to the topic: ${m.topicId}. (Emulated delivery: there is no unsubscribe link.)`;
  return `${headers.join("\r\n")}\r\n\r\n${body}\r\n\r\n${footer}\r\n`;
}

/** Text Slack receives: `*title*` then the body (for JSON messages the `Slack` key or `default`). */
export function renderSlackText(m: PublishedMessage): string {
  const body = textFor(m.messageType, m.body, "SLACK");
  return m.title === undefined ? body : `*${m.title}*\n${body}`;
}
