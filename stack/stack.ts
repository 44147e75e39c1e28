/**
 * The whole system on one machine, run the way OCI runs it: the emulator (AIDP,
 * Object Storage, Notifications) with a persistent data folder, each function
 * as its own process under the real FDK, a scheduler invoking `poll`, emulator
 * events delivered to `track`/`export`, an EMAIL subscription (files) and a
 * SLACK one (a local webhook receiver), and a calm console view.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import type { Writable } from "node:stream";
import { loadOrProvisionCredentials } from "../emulator/saved-credentials.js";
import { KeyRegistry } from "../emulator/auth/key-registry.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { type AidpEmulator, aidpService } from "../emulator/services/aidp/index.js";
import { type FunctionsEmulator, functionsService } from "../emulator/services/functions/index.js";
import { type NotificationsEmulator, notificationsService, type PublishedMessage } from "../emulator/services/notifications/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../emulator/services/object-storage/index.js";
import { type RunningConsole, startConsole } from "../console/start-console.js";
import type { HandlerName } from "../shared/config/config-schema.js";
import { loadConfig } from "../shared/config/load-config.js";
import { describeError } from "../shared/errors/aidp-watch-error.js";
import { createLogger, type LogSink } from "../shared/log/logger.js";
import { systemClock } from "../shared/time/clock.js";
import { type AnnouncedState, announcedStates } from "./announced-states.js";
import { ConsoleView } from "./console-view.js";
import { DeliveryQueue } from "./delivery-queue.js";
import { type SeededScenario, seedScenario } from "./demo-scenario.js";
import { type DemoState, loadOrCreateDemoState } from "./demo-state.js";
import { EmulatorEvents } from "./events.js";
import { FunctionProcess } from "./function-process.js";
import type { FdkResponse } from "./invoker.js";
import { LogFile } from "./log-file.js";
import { ManifestWatch, taskRunOf } from "./manifest-watch.js";
import { claimDataDir, reapOrphans, recordRunning, releaseDataDir } from "./orphan-reaper.js";
import { Scheduler } from "./scheduler.js";
import {
  CALL_TIMEOUT_MS,
  EMAIL_ADDRESS,
  functionEnv,
  OUTPUT_BUCKET,
  stackFunctionId,
  STACK_FUNCTIONS,
  STACK_NAMESPACE,
  STACK_PLATFORM_ID,
  STACK_TOPIC_ID,
  STATE_BUCKET,
} from "./stack-config.js";
import { StackError } from "./stack-error.js";
import { WebhookReceiver } from "./webhook-receiver.js";

export interface StackOptions {
  /** Emulator port; 0 = any free port. */
  readonly port: number;
  readonly dataDir: string;
  /** Scenario speed: durations are divided by it. @default 1 */
  readonly speed?: number;
  /** Seed the demo platform. @default true */
  readonly seed?: boolean;
  readonly pollIntervalMs: number;
  /** Let scheduled polls overlap, as a real OCI schedule can. @default false */
  readonly allowPollOverlap?: boolean;
  /** The bundled function entry (`dist/func.cjs`, next to its `chunks/`), as the image runs it. */
  readonly entry: string;
  /** Console output (undefined = quiet). */
  readonly out?: Writable | undefined;
  readonly colour?: boolean;
  /**
   * Fn-Deadline of each call (a function's configured timeout in OCI). A claim
   * held by a killed function expires 30 s after its call's deadline, so tests
   * shorten `poll`'s. @default CALL_TIMEOUT_MS
   */
  readonly callTimeoutsMs?: Partial<Record<HandlerName, number>>;
  /** @default `<dataDir>/logs/functions.jsonl` */
  readonly logFile?: string;
  /** `AIDP_WATCH_SHARDS` of the functions: above 1, each scheduled poll fans out through the emulator's invoke endpoint to the poll process. @default 1 */
  readonly shards?: number;
  /** Port of the console page (127.0.0.1); 0 = any free port; `false` = no console. @default 0 */
  readonly consolePort?: number | false;
  /** The console page's script. @default dist/console/console.js */
  readonly consoleScript?: string;
}

export interface StackCounters {
  polls: number;
  pollFailures: number;
  pollSkipped: number;
}

export interface Stack {
  readonly emulator: Emulator;
  readonly dataDir: string;
  readonly logFile: string;
  readonly scenario: SeededScenario | undefined;
  readonly demo: DemoState | undefined;
  readonly resumed: boolean;
  readonly functions: ReadonlyMap<HandlerName, FunctionProcess>;
  readonly view: ConsoleView;
  readonly webhook: WebhookReceiver;
  readonly notifications: NotificationsEmulator;
  readonly objectStorage: ObjectStorageEmulator;
  readonly aidp: AidpEmulator;
  /** The console page (console/), reading what the functions wrote through the same clients. */
  readonly console: RunningConsole | undefined;
  readonly counters: () => StackCounters;
  /** Every operation state announced so far (ONS messages, including those of earlier runs). */
  announced(): AnnouncedState[];
  /** Export manifests in the output bucket. */
  manifests(): string[];
  /** Scheduled `poll` invocations running now. */
  pollsInFlight(): number;
  /** Invokes `poll` now (outside the schedule). */
  pollNow(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a stop waits for invocations in flight before terminating the functions. */
const STOP_GRACE_MS = 10_000;

function logSink(log: LogFile): LogSink {
  return {
    write(line) {
      log.functionLine("emulator", "stderr", line);
    },
  };
}

function findEmail(folder: string | undefined, messageId: string): string | undefined {
  if (folder === undefined || !existsSync(folder)) return undefined;
  const name = readdirSync(folder).find((f) => f.endsWith(`-${messageId}.eml`));
  return name === undefined ? undefined : join(folder, name);
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = resolve(options.dataDir);
  const speed = options.speed ?? 1;
  mkdirSync(dataDir, { recursive: true });
  const logPath = resolve(options.logFile ?? join(dataDir, "logs", "functions.jsonl"));
  const log = new LogFile(logPath);
  const view = new ConsoleView(options.out, options.colour ?? false);
  const cleanups: Array<() => Promise<void> | void> = [() => log.close()];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log.record("warn", "cleanup step failed", { error: describeError(err) });
      }
    }
  };

  try {
    const lockFile = join(dataDir, "run", "stack.pid");
    const owner = claimDataDir(lockFile);
    if (owner !== undefined) {
      throw new StackError(`another aidp-watch stack (pid ${owner}) is using ${dataDir}; stop it first or pass another --data-dir`, {
        context: { dataDir, pid: owner },
      });
    }
    cleanups.push(() => releaseDataDir(lockFile));
    const runFile = join(dataDir, "run", "functions.json");
    const reaped = reapOrphans(runFile);
    if (reaped.length > 0)
      view.say(`ended ${reaped.length} function process(es) left running by an earlier stack (pids ${reaped.join(", ")})`);

    const registry = new KeyRegistry();
    const { credentials } = loadOrProvisionCredentials(join(dataDir, "credentials"), registry);
    const webhook = new WebhookReceiver();
    await webhook.start();
    cleanups.push(() => webhook.stop());

    const logger = createLogger({ level: "warn", sink: logSink(log), fields: { component: "emulator" } });
    const emulator = await startEmulator({
      port: options.port,
      dataDir,
      registry,
      services: [
        objectStorageService({ namespace: STACK_NAMESPACE, buckets: [STATE_BUCKET, OUTPUT_BUCKET], logger }),
        notificationsService({ topics: [STACK_TOPIC_ID], logger }),
        aidpService({ platforms: [STACK_PLATFORM_ID] }),
        functionsService(),
      ],
    });
    cleanups.push(() => emulator.close());
    const ons = emulator.service<NotificationsEmulator>("notifications");
    const os = emulator.service<ObjectStorageEmulator>("objectstorage");
    const aidp = emulator.service<AidpEmulator>("aidp");
    ons.subscribe(STACK_TOPIC_ID, { protocol: "EMAIL", address: EMAIL_ADDRESS });
    ons.subscribe(STACK_TOPIC_ID, { protocol: "SLACK", webhookUrl: webhook.url() });
    const platformIds = [STACK_PLATFORM_ID];

    let scenario: SeededScenario | undefined;
    let demo: DemoState | undefined;
    let resumed = false;
    if (options.seed ?? true) {
      const loaded = loadOrCreateDemoState(dataDir, { platformId: STACK_PLATFORM_ID, startedAtMs: systemClock.now(), speed });
      demo = loaded.state;
      resumed = loaded.resumed;
      scenario = seedScenario(aidp, { platformId: STACK_PLATFORM_ID, startedAtMs: demo.startedAtMs, speed: demo.speed });
    }

    // What the user watches: notifications as delivered, exports as archived.
    const emailFolder = ons.emailFolder(STACK_TOPIC_ID);
    const announcedFrom = (m: PublishedMessage) => announcedStates(`${m.title ?? ""}\n${m.body}`, platformIds);
    ons.onMessage((m) => {
      setImmediate(() => {
        const file = findEmail(emailFolder, m.messageId);
        view.show({
          kind: "email",
          at: Date.now(),
          subject: m.title ?? "(no subject)",
          file: display(file ?? emailFolder ?? "(no email folder)"),
        });
      });
    });
    webhook.onPayload((hook) => view.show({ kind: "slack", at: hook.receivedAt, text: hook.payload.text ?? JSON.stringify(hook.payload) }));
    const taskRunKeys = () => scenario?.jobRuns.flatMap((j) => j.taskRuns.map((t) => t.key)) ?? [];
    const manifestWatch = new ManifestWatch(os, OUTPUT_BUCKET, (name) =>
      view.show({
        kind: "export",
        at: Date.now(),
        taskRunKey: taskRunOf(name, taskRunKeys()) ?? "?",
        manifest: `oci://${OUTPUT_BUCKET}@${STACK_NAMESPACE}/${name}`,
      }),
    );
    manifestWatch.start();
    cleanups.push(() => manifestWatch.stop());

    // The functions, each its own FDK process running the bundle, as the image runs it.
    const socketRoot = mkdtempSync(join(tmpdir(), "aidp-watch-fn-"));
    cleanups.push(() => rmSync(socketRoot, { recursive: true, force: true }));
    const timeouts: Record<HandlerName, number> = { ...CALL_TIMEOUT_MS, ...options.callTimeoutsMs };
    const env = functionEnv({
      emulatorUrl: emulator.url,
      platformIds,
      speed: demo?.speed ?? speed,
      resourcePrincipalEnv: credentials.resourcePrincipalEnv,
      // Keep 5 s to save state and answer, less when a deadline is short (tests).
      deadlineReserveMs: Math.min(5000, Math.floor(Math.min(...Object.values(timeouts)) / 3)),
      ...(options.shards === undefined ? {} : { shards: options.shards }),
    });
    const functions = new Map<HandlerName, FunctionProcess>();
    for (const name of STACK_FUNCTIONS) {
      functions.set(
        name,
        new FunctionProcess({
          name,
          entry: options.entry,
          env,
          socketRoot,
          log,
          onEvent: (e) => {
            if (e.type === "ready") recordRunning(runFile, running());
            if (e.type === "exited" && !e.expected)
              view.show({
                kind: "function",
                at: Date.now(),
                name: e.name,
                message: `process ${e.pid} died (${e.signal ?? `exit ${e.code}`}); restarting`,
              });
            if (e.type === "restart-failed")
              view.show({ kind: "function", at: Date.now(), name: e.name, message: `restart failed: ${e.error}` });
          },
        }),
      );
    }
    const running = () =>
      [...functions.values()].flatMap((f) =>
        f.pid === undefined || f.socketPath === undefined ? [] : [{ pid: f.pid, entry: options.entry, socketDir: dirname(f.socketPath) }],
      );
    cleanups.push(async () => {
      await Promise.all([...functions.values()].map((f) => f.stop()));
      rmSync(runFile, { force: true });
    });
    await Promise.all([...functions.values()].map((f) => f.start()));

    const call = async (name: HandlerName, input: unknown): Promise<FdkResponse> => {
      const fn = functions.get(name)!;
      const res = await fn.invoke(input, { deadlineMs: timeouts[name] });
      if (res.status !== 200) {
        throw new StackError(`${name} answered ${res.status}: ${res.body.slice(0, 300)}`, {
          context: { function: name, status: res.status },
        });
      }
      return res;
    };
    // The Functions invoke API (a fanned-out poll invokes its shards through
    // it): the emulator hands each call to that function's process, as OCI
    // Functions would to a container of the function.
    const invokeApi = emulator.service<FunctionsEmulator>("functions");
    for (const name of STACK_FUNCTIONS) {
      invokeApi.register(stackFunctionId(name), async (body) => {
        const res = await functions.get(name)!.invoke(body.toString("utf8"), { deadlineMs: timeouts[name] });
        if (res.status !== 200)
          log.record("warn", `${name} answered ${res.status} to an invoked call`, { function: name, status: res.status });
        return { status: res.status, body: res.body };
      });
    }

    const queue = new DeliveryQueue({
      concurrency: 2,
      attempts: 4,
      retryDelayMs: 1000,
      onFailure: (label, err, attempt, final) => {
        log.record(final ? "error" : "warn", `event delivery failed: ${label}`, { attempt, final, error: describeError(err) });
        if (final)
          view.show({
            kind: "function",
            at: Date.now(),
            name: label.split(" ")[0] ?? "?",
            message: `gave up delivering ${label} (see log)`,
          });
      },
    });
    const events = new EmulatorEvents({
      emulatorUrl: emulator.url,
      platformIds,
      jobRuns: () => scenario?.jobRuns ?? [],
      clock: emulator.context.clock,
      queue,
      track: async (input) => void (await call("track", input)),
      export: async (input) => void (await call("export", input)),
      onOperation: (op) =>
        view.show({
          kind: "operation",
          at: Date.now(),
          key: op.key,
          actionType: op.actionType,
          resourceName: op.resourceName,
          status: op.status,
          errorCode: op.errorCode,
        }),
      onError: (err) => log.record("warn", "cannot read the emulator's operations", { error: describeError(err) }),
    });

    const counters: StackCounters = { polls: 0, pollFailures: 0, pollSkipped: 0 };
    const scheduler = new Scheduler({
      intervalMs: options.pollIntervalMs,
      allowOverlap: options.allowPollOverlap ?? false,
      invoke: () => call("poll", {}),
      onResult: () => {
        counters.polls++;
      },
      onError: (err) => {
        counters.pollFailures++;
        log.record("warn", "scheduled poll failed", { error: describeError(err) });
      },
    });
    // The console reads through the functions' own configuration and clients
    // (Object Storage, AIDP), plus the emulator's message log over its admin API.
    let consoleServer: RunningConsole | undefined;
    if (options.consolePort !== false) {
      try {
        consoleServer = await startConsole({
          config: loadConfig(env),
          env,
          logger: createLogger({ level: "warn", sink: logSink(log), fields: { component: "console" } }),
          port: options.consolePort ?? 0,
          mode: "local stack",
          messageLogUrl: `${emulator.url}/_emulator/notifications/messages?topicId=${encodeURIComponent(STACK_TOPIC_ID)}`,
          emailAddress: EMAIL_ADDRESS,
          ...(options.consoleScript === undefined ? {} : { script: options.consoleScript }),
        });
      } catch (err) {
        // The page is a window on the system, not part of it: the stack runs without it.
        view.show({ kind: "function", at: Date.now(), name: "console", message: `console page not started: ${describeError(err)}` });
      }
      const started = consoleServer;
      if (started) cleanups.push(() => started.close());
    }
    events.start();
    scheduler.start();
    cleanups.push(async () => {
      // No new work; give invocations in flight a moment to finish (a sweep
      // killed mid-publish is exactly what a clean stop should avoid).
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => {
        timer = setTimeout(r, STOP_GRACE_MS);
      });
      await Promise.race([Promise.all([scheduler.stop(), events.stop(), queue.close()]), grace]);
      clearTimeout(timer);
    });

    let stopped: Promise<void> | undefined;
    return {
      emulator,
      dataDir,
      logFile: logPath,
      scenario,
      demo,
      resumed,
      functions,
      view,
      webhook,
      notifications: ons,
      objectStorage: os,
      aidp,
      console: consoleServer,
      counters: () => ({ ...counters, pollSkipped: scheduler.skipped }),
      announced: () => ons.messages(STACK_TOPIC_ID).flatMap(announcedFrom),
      manifests: () => manifestWatch.manifests(),
      pollsInFlight: () => scheduler.running,
      pollNow: () => scheduler.trigger(),
      stop: () => {
        stopped ??= cleanup();
        return stopped;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
