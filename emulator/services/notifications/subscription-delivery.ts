/**
 * Simulated subscription delivery. EMAIL writes
 * `<emailDir>/<topic>/<timestamp>-<messageId>.eml` (synchronously, so it is
 * there when PublishMessage returns); SLACK POSTs `{ text }` to the webhook
 * (in the background, 5 s timeout, no retries). Every attempt lands in the
 * delivery log; failures never reach the publisher or crash the emulator.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../../shared/log/logger.js";
import { renderEmail, renderSlackText } from "./email-renderer.js";
import type { PublishedMessage, Subscription } from "./published-message.js";

export interface DeliveryRecord {
  readonly at: string;
  readonly topicId: string;
  readonly messageId: string;
  readonly protocol: string;
  readonly target: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly error?: string;
}

export const SLACK_TIMEOUT_MS = 5_000;
const MAX_RECORDS = 1_000;

function safeSegment(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9._-]/g, "_");
  return cleaned === "" || /^\.+$/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Slack webhook paths are credentials: logs show only the origin. */
export function maskWebhook(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "(invalid url)";
  }
}

export class SubscriptionDelivery {
  private readonly records: DeliveryRecord[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly emailDir: string | undefined,
    private readonly logFile: string | undefined,
    private readonly logger: Logger,
  ) {}

  log(): readonly DeliveryRecord[] {
    return this.records;
  }

  deliver(m: PublishedMessage, sub: Subscription): void {
    if (sub.protocol === "EMAIL") {
      this.deliverEmail(m, sub.address);
      return;
    }
    const p = this.deliverSlack(m, sub.webhookUrl).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Waits for background (Slack) deliveries in flight. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  emailFolder(topicId: string): string | undefined {
    return this.emailDir === undefined ? undefined : join(this.emailDir, safeSegment(topicId));
  }

  private deliverEmail(m: PublishedMessage, address: string): void {
    const dir = this.emailFolder(m.topicId);
    try {
      if (dir === undefined) throw new Error("no email folder configured (emailDir)");
      mkdirSync(dir, { recursive: true });
      const stamp = m.receivedAt.replace(/[-:]/g, "").replace(".", "");
      const file = join(dir, `${stamp}-${safeSegment(m.messageId)}.eml`);
      const tmp = join(dir, `.tmp-${randomUUID()}`);
      writeFileSync(tmp, renderEmail(m, address));
      renameSync(tmp, file);
      this.record({ m, protocol: "EMAIL", target: address, ok: true });
    } catch (err) {
      this.record({ m, protocol: "EMAIL", target: address, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async deliverSlack(m: PublishedMessage, url: string): Promise<void> {
    const target = maskWebhook(url);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-oci-ns-messageid": m.messageId, "x-oci-ns-topicocid": m.topicId },
        body: JSON.stringify({ text: renderSlackText(m) }),
        signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      this.record({ m, protocol: "SLACK", target, ok: res.ok, status: res.status, error: res.ok ? undefined : `HTTP ${res.status}` });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
      this.record({ m, protocol: "SLACK", target, ok: false, error: `${err instanceof Error ? err.message : String(err)}${cause}` });
    }
  }

  private record(r: { m: PublishedMessage; protocol: string; target: string; ok: boolean; status?: number; error?: string }): void {
    const rec: DeliveryRecord = {
      at: new Date().toISOString(),
      topicId: r.m.topicId,
      messageId: r.m.messageId,
      protocol: r.protocol,
      target: r.target,
      ok: r.ok,
      ...(r.status === undefined ? {} : { status: r.status }),
      ...(r.error === undefined ? {} : { error: r.error }),
    };
    this.records.push(rec);
    if (this.records.length > MAX_RECORDS) this.records.shift();
    if (!rec.ok) this.logger.warn("notification delivery failed", { ...rec });
    if (this.logFile === undefined) return;
    try {
      appendFileSync(this.logFile, `${JSON.stringify(rec)}\n`);
    } catch (err) {
      this.logger.warn("cannot write the delivery log", { file: this.logFile, error: err });
    }
  }
}
