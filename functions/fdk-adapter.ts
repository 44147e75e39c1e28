/**
 * The thin layer between the FDK and a handler. It
 * - validates configuration once per container (on the first call, so the
 *   schema code is not on the path to the FDK listening) and fails every call
 *   with the same clear error while it is invalid;
 * - turns `Fn-Deadline` into the work and hard deadlines;
 * - gives the handler a logger carrying function name and `Fn-Call-Id`;
 * - always answers with a JSON value (the FDK 0.0.76 crashes the container when
 *   a handler returns `undefined`/`null`);
 * - on failure logs one redacted JSON line and rethrows an error whose stack is
 *   just its message: the FDK prints thrown errors with `console.warn`, and we
 *   don't want stack traces or error properties (which might quote input) there.
 *   The invocation then fails: a synchronous caller (CI, `fn invoke`) gets
 *   the 502; a detached call (the poll schedule, Events) reports to no one,
 *   so its failure is seen only through the function's failure destination
 *   (a Notifications topic, infra/functions.tf) and the invoke log.
 */
import type { Context } from "@fnproject/fdk";
import type { Config, HandlerName } from "../shared/config/config-schema.js";
import { AidpWatchError, describeError } from "../shared/errors/aidp-watch-error.js";
import { runWithLogFields } from "../shared/log/log-context.js";
import { createLogger, type Logger, type LogSink, parseLogLevel, stdioSink } from "../shared/log/logger.js";
import { type Clock, systemClock } from "../shared/time/clock.js";
import { Deadline } from "../shared/time/deadline.js";
import type { FunctionHandler, JsonResult } from "./invocation.js";

export interface AdapterOptions {
  readonly env?: Record<string, string | undefined>;
  readonly clock?: Clock;
  readonly sink?: LogSink;
}

export class FunctionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FunctionFailure";
    this.stack = message;
  }

  /** The FDK answers `detail: error.toString()`; the message already names the cause. */
  override toString(): string {
    return this.message;
  }
}

/** The configuration check's outcome: a valid config (with this handler's required keys), or why not. */
type ConfigCheck = { readonly config: Config; readonly error?: undefined } | { readonly config?: undefined; readonly error: unknown };

/**
 * Validates `env` for `name` once (memoised): the schema (zod) is imported on
 * the first call, so the FDK listens before any of it is loaded.
 */
function configCheck(name: HandlerName, env: Record<string, string | undefined>): () => Promise<ConfigCheck> {
  let checked: Promise<ConfigCheck> | undefined;
  return () => {
    checked ??= import("../shared/config/load-config.js").then(
      ({ loadConfig, requireFor }): ConfigCheck => {
        try {
          const config = loadConfig(env);
          // Only a config that also has this handler's required keys counts as valid.
          requireFor(name, config);
          return { config };
        } catch (err) {
          return { error: err };
        }
      },
      (err: unknown): ConfigCheck => ({ error: err }),
    );
    return checked;
  };
}

/** What `fdk.handle` gets, plus `prepare()`: start the configuration check now; resolves to whether it is valid. */
export interface FdkHandler {
  (input: unknown, ctx: Context): Promise<JsonResult>;
  prepare(): Promise<boolean>;
}

export function toFdkHandler(name: HandlerName, handler: FunctionHandler, options: AdapterOptions = {}): FdkHandler {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const check = configCheck(name, env);
  const sink = options.sink ?? stdioSink;
  let baseLogger: Logger | undefined;
  const loggerFor = (config: Config | undefined): Logger => {
    baseLogger ??= createLogger({
      level: config ? config.AIDP_WATCH_LOG_LEVEL : parseLogLevel(env.AIDP_WATCH_LOG_LEVEL),
      sink,
      fields: { function: name },
    });
    return baseLogger;
  };

  // Every record written during the call, by any logger (also those of
  // container-cached clients) or the bridged console, carries its fnCallId.
  const fdkHandler = (input: unknown, ctx: Context): Promise<JsonResult> =>
    runWithLogFields({ fnCallId: ctx.callID ?? undefined }, () => invoke(input, ctx));

  const invoke = async (input: unknown, ctx: Context): Promise<JsonResult> => {
    const callId = ctx.callID ?? undefined;
    const started = clock.now();
    const { config, error: configError } = await check();
    const logger = loggerFor(config).child({ fnCallId: callId });
    if (!config) {
      logger.error("configuration is invalid", { error: configError });
      throw new FunctionFailure(describeError(configError));
    }
    const hardDeadline = Deadline.fromFnDeadline(ctx.deadline, config.AIDP_WATCH_DEFAULT_TIMEOUT_MS, 0, clock);
    const workDeadline = hardDeadline.minus(config.AIDP_WATCH_DEADLINE_RESERVE_MS);
    try {
      const functionId = ctx.fnID || undefined;
      const result = await handler(input, { workDeadline, hardDeadline, callId, functionId, logger, config, clock });
      logger.info("invocation finished", { durationMs: clock.now() - started });
      return result ?? {};
    } catch (err) {
      logger.error("invocation failed", { error: err, durationMs: clock.now() - started });
      throw new FunctionFailure(err instanceof AidpWatchError ? `${err.name}: ${err.message}` : describeError(err));
    }
  };
  return Object.assign(fdkHandler, { prepare: () => check().then((c) => c.config !== undefined) });
}

/** The handler named by `AIDP_WATCH_HANDLER`, else by the Fn function name's last `-` segment. */
export function selectHandler(env: Record<string, string | undefined>, handlers: readonly HandlerName[]): HandlerName {
  const explicit = env.AIDP_WATCH_HANDLER;
  if (explicit) {
    if ((handlers as readonly string[]).includes(explicit)) return explicit as HandlerName;
    throw new FunctionFailure(`AIDP_WATCH_HANDLER=${explicit} is not one of ${handlers.join(", ")}`);
  }
  const fnName = env.FN_FN_NAME ?? env.FN_NAME ?? "";
  const found = handlers.find((h) => fnName === h || fnName.endsWith(`-${h}`));
  if (!found) {
    throw new FunctionFailure(
      `cannot tell which handler to run: set AIDP_WATCH_HANDLER to one of ${handlers.join(", ")} (function name "${fnName}")`,
    );
  }
  return found;
}
