/**
 * A stand-in for a Slack incoming webhook, run in-process: the emulator's
 * Notifications service delivers SLACK subscriptions by POSTing JSON here, the
 * way ONS posts to hooks.slack.com. Each payload is kept and announced.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { z } from "zod";
import { StackError } from "./stack-error.js";

const SlackPayloadSchema = z.looseObject({ text: z.string().optional() });
export type SlackPayload = z.infer<typeof SlackPayloadSchema>;

export interface ReceivedWebhook {
  readonly path: string;
  readonly receivedAt: number;
  /** `X-OCI-NS-MessageId`, which ONS sends with every HTTPS delivery. */
  readonly messageId: string | undefined;
  /** The parsed JSON body; `{ text: <raw body> }` when it was not JSON. */
  readonly payload: SlackPayload;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError("webhook body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parsePayload(raw: string): SlackPayload {
  try {
    const parsed = SlackPayloadSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: keep the text
  }
  return { text: raw };
}

export class WebhookReceiver {
  private readonly received: ReceivedWebhook[] = [];
  private readonly listeners: Array<(hook: ReceivedWebhook) => void> = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private baseUrl = "";

  /** Starts listening on 127.0.0.1 (an ephemeral port unless given). */
  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      readBody(req).then(
        (raw) => {
          if (req.method !== "POST") {
            res.writeHead(405).end();
            return;
          }
          const id = req.headers["x-oci-ns-messageid"];
          const hook: ReceivedWebhook = {
            path: req.url ?? "/",
            receivedAt: Date.now(),
            messageId: typeof id === "string" ? id : undefined,
            payload: parsePayload(raw),
          };
          this.received.push(hook);
          // Slack answers a plain "ok".
          res.writeHead(200, { "content-type": "text/plain" }).end("ok");
          for (const l of this.listeners) l(hook);
        },
        () => {
          if (!res.headersSent) res.writeHead(413).end();
        },
      );
    });
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The webhook URL to subscribe (a path like Slack's `/services/T000/B000/XXXX`). */
  url(path = "/services/T0AIDPWATCH/B0LOCAL/demo"): string {
    if (!this.server) throw new StackError("webhook receiver is not started");
    return `${this.baseUrl}${path}`;
  }

  onPayload(listener: (hook: ReceivedWebhook) => void): void {
    this.listeners.push(listener);
  }

  payloads(): readonly ReceivedWebhook[] {
    return this.received;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
