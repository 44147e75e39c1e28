/**
 * Builds the console from configuration, with the same adapters the
 * functions build (`buildServices`: signed Object Storage and AIDP clients,
 * the same AIDP_WATCH_* keys), and starts its server. Locally (`npm start`)
 * the configuration is the functions' own and `messageLogUrl` is the
 * emulator's admin message log; against a deployment (`aidp-watch console
 * --env-file prod.env`) there is no log and the inbox is what the claims
 * record as published.
 */
import { z } from "zod";
import { renderEmail, renderSlackText } from "../emulator/services/notifications/email-renderer.js";
import { PublishedMessageSchema } from "../emulator/services/notifications/published-message.js";
import { buildServices } from "../functions/services.js";
import type { Config } from "../shared/config/config-schema.js";
import type { Logger } from "../shared/log/logger.js";
import { systemClock } from "../shared/time/clock.js";
import { Deadline } from "../shared/time/deadline.js";
import { ConsoleReader, type LoggedMessage } from "./console-reader.js";
import { archivePath, type ConsoleServer, startConsoleServer } from "./console-server.js";

export interface StartConsoleOptions {
  readonly config: Config;
  readonly env: Record<string, string | undefined>;
  readonly logger: Logger;
  readonly port: number;
  readonly mode: string;
  /** `GET` answering the emulator's published messages (its admin API). */
  readonly messageLogUrl?: string;
  /** Address the EMAIL subscription delivers to (shown in the email rendering). */
  readonly emailAddress?: string;
  readonly configFile?: string;
  readonly profile?: string;
  readonly refreshMs?: number;
  readonly script?: string;
}

export interface RunningConsole extends ConsoleServer {
  readonly reader: ConsoleReader;
}

/**
 * The email as a mail client shows it: RFC 2047 encoded words in the headers
 * (`=?UTF-8?B?…?=`, how a non-ASCII subject travels) decoded; the rest as sent.
 */
export function readableEmail(raw: string): string {
  const end = raw.indexOf("\r\n\r\n");
  const head = end < 0 ? raw : raw.slice(0, end);
  const decoded = head.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          "latin1",
        ).toString("utf8"),
  );
  return end < 0 ? decoded : decoded + raw.slice(end);
}

/** Reads the emulator's message log over its admin HTTP API (nothing in-process). */
export function emulatorMessageLog(url: string, emailAddress: string): () => Promise<LoggedMessage[]> {
  const Messages = z.array(PublishedMessageSchema);
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`the emulator's message log answered ${res.status}`);
    return Messages.parse(await res.json()).map((m) => ({
      messageId: m.messageId,
      receivedAt: m.receivedAt,
      title: m.title,
      body: m.body,
      email: readableEmail(renderEmail(m, emailAddress)),
      slack: renderSlackText(m),
    }));
  };
}

export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const { config } = options;
  const services = await buildServices({
    config,
    logger: options.logger,
    clock: systemClock,
    deadline: Deadline.in(30_000),
    env: options.env,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  const reader = new ConsoleReader({
    mode: options.mode,
    stateStore: services.stateStore,
    outputStore: services.outputStore,
    aidp: services.aidp,
    statePrefix: config.AIDP_WATCH_STATE_PREFIX,
    outputPrefix: config.AIDP_WATCH_OUTPUT_PREFIX,
    topicId: config.AIDP_WATCH_TOPIC_ID,
    budgetPerMinute: config.AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE,
    ...(options.messageLogUrl ? { messageLog: emulatorMessageLog(options.messageLogUrl, options.emailAddress ?? "subscriber") } : {}),
    outputUrl: archivePath,
  });
  try {
    const server = await startConsoleServer({
      reader,
      outputStore: services.outputStore,
      outputPrefix: config.AIDP_WATCH_OUTPUT_PREFIX,
      port: options.port,
      ...(options.refreshMs === undefined ? {} : { refreshMs: options.refreshMs }),
      ...(options.script === undefined ? {} : { script: options.script }),
    });
    return {
      ...server,
      reader,
      close: async () => {
        await server.close();
        services.close();
      },
    };
  } catch (err) {
    services.close();
    throw err;
  }
}
