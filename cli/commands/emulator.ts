/**
 * `aidp-watch emulator`: the local OCI stack (Object Storage, Notifications
 * and, when built in, the AIDP data plane) on one port. Prints one JSON block
 * with the endpoints and the credentials a client should use, then serves
 * until SIGINT/SIGTERM. Without `--data-dir` state and credentials live in a
 * temp folder removed at exit.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { z } from "zod";
import { KeyRegistry } from "../../emulator/auth/key-registry.js";
import { notificationsService } from "../../emulator/services/notifications/index.js";
import { DEFAULT_NAMESPACE, objectStorageService } from "../../emulator/services/object-storage/index.js";
import type { EmulatorContext, EmulatorService } from "../../emulator/server.js";
import { startEmulator } from "../../emulator/server.js";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import { createLogger } from "../../shared/log/logger.js";
import { waitForStopSignal } from "../../stack/stop-signal.js";
import { type OptionSpec, optionsFrom, parseCommandLine, UsageError } from "../command-line.js";
import type { CliIo } from "../registry.js";
import { loadOrProvisionCredentials } from "../../emulator/saved-credentials.js";

export const DEFAULT_PORT = 8642;
export const DEFAULT_TOPIC = "ocid1.onstopic.oc1..aidpwatch";
export const DEFAULT_BUCKETS = ["aidp-watch-state", "aidp-watch-outputs"];
export const EMAIL_ADDRESS = "aidp-watch@localhost";

const USAGE =
  "usage: aidp-watch emulator [--port P] [--host H] [--data-dir D] [--topic OCID] [--bucket NAME]... [--email-dir D] [--slack-webhook URL] [--rate-limit]";

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  host: z.string().min(1).default("127.0.0.1"),
  "data-dir": z.string().min(1).optional(),
  topic: z.string().min(1).default(DEFAULT_TOPIC),
  bucket: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, "bucket names are letters, digits, '.', '_' and '-'"))
    .min(1)
    .default(DEFAULT_BUCKETS),
  "email-dir": z.string().min(1).optional(),
  "slack-webhook": z.url({ protocol: /^https?$/ }).optional(),
  "rate-limit": z.boolean().default(false),
});
type Args = z.infer<typeof ArgsSchema>;

const OPTIONS: OptionSpec = {
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  topic: { type: "string" },
  bucket: { type: "string", multiple: true },
  "email-dir": { type: "string" },
  "slack-webhook": { type: "string" },
  "rate-limit": { type: "boolean" },
};

function parse(args: string[]): Args | "help" {
  const { values, help } = parseCommandLine(args, OPTIONS, { positionals: false });
  return help ? "help" : optionsFrom(ArgsSchema, values);
}

/** The AIDP data-plane emulator (developed separately; guarded so a build without it still runs). */
async function loadAidpService(): Promise<((ctx: EmulatorContext) => EmulatorService) | undefined> {
  try {
    const mod: unknown = await import("../../emulator/services/aidp/index.js");
    if (typeof mod === "object" && mod !== null && "aidpService" in mod && typeof mod.aidpService === "function") {
      return (mod.aidpService as () => (ctx: EmulatorContext) => EmulatorService)();
    }
  } catch {
    // not built in
  }
  return undefined;
}

function stderrSink(stderr: Writable) {
  return { write: (line: string) => void stderr.write(`${line}\n`) };
}

export async function runEmulator(args: string[], io: CliIo, options: { signal?: AbortSignal } = {}): Promise<number> {
  let parsed: Args | "help";
  try {
    parsed = parse(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`aidp-watch emulator: ${err.message}\n`);
    return 2;
  }
  if (parsed === "help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dataDir = parsed["data-dir"] === undefined ? undefined : resolve(parsed["data-dir"]);
  const stateDir = dataDir ?? mkdtempSync(join(tmpdir(), "aidp-watch-emulator-"));
  const ephemeral = dataDir === undefined;
  try {
    mkdirSync(stateDir, { recursive: true });
    const logger = createLogger({ level: "warn", sink: stderrSink(io.stderr), fields: { component: "emulator" } });
    const registry = new KeyRegistry();
    const { credentials, reused } = loadOrProvisionCredentials(join(stateDir, "credentials"), registry);
    const emailDir = resolve(parsed["email-dir"] ?? join(stateDir, "email"));
    const aidp = await loadAidpService();
    const emu = await startEmulator({
      port: parsed.port,
      host: parsed.host,
      dataDir,
      registry,
      services: [
        objectStorageService({ namespace: DEFAULT_NAMESPACE, buckets: parsed.bucket, logger }),
        notificationsService({ topics: [parsed.topic], enforceRateLimit: parsed["rate-limit"], emailDir, logger }),
        ...(aidp ? [aidp] : []),
      ],
    });
    const ons = emu.service<ReturnType<ReturnType<typeof notificationsService>>>("notifications");
    ons.subscribe(parsed.topic, { protocol: "EMAIL", address: EMAIL_ADDRESS });
    const webhook = parsed["slack-webhook"];
    if (webhook !== undefined) ons.subscribe(parsed.topic, { protocol: "SLACK", webhookUrl: webhook });

    const info = {
      url: emu.url,
      endpoints: { objectStorage: emu.url, notifications: emu.url, aidp: aidp ? emu.url : null, admin: `${emu.url}/_emulator` },
      namespace: DEFAULT_NAMESPACE,
      topic: parsed.topic,
      buckets: parsed.bucket,
      rateLimit: parsed["rate-limit"],
      configFile: credentials.configFile,
      profile: "DEFAULT",
      sessionProfile: "SESSION",
      credentialsReused: reused,
      resourcePrincipalEnv: credentials.resourcePrincipalEnv,
      emailDir: ons.emailFolder(parsed.topic) ?? emailDir,
      slackWebhook: webhook === undefined ? null : `${new URL(webhook).origin}/…`,
      dataDir: dataDir ?? null,
      ephemeral,
      usage: "set client.endpoint = url after constructing an SDK client (ObjectStorageClient, NotificationDataPlaneClient)",
    };
    io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    const why = await waitForStopSignal(options.signal);
    io.stderr.write(`aidp-watch emulator: stopping (${why})\n`);
    await emu.close();
    return 0;
  } catch (err) {
    io.stderr.write(`aidp-watch emulator: ${describeError(err)}\n`);
    return 1;
  } finally {
    if (ephemeral) rmSync(stateDir, { recursive: true, force: true });
  }
}
