import type { Context } from "@fnproject/fdk";
import type { HandlerName } from "../shared/config/config-schema.js";
import { bridgeConsole } from "../shared/log/console-bridge.js";
import { createLogger, parseLogLevel } from "../shared/log/logger.js";
import { loadServicesModule } from "./default-services.js";
import { selectHandler, toFdkHandler } from "./fdk-adapter.js";
import type { FunctionHandler, JsonResult } from "./invocation.js";

/** What the launcher (entry.ts) serves: the FDK's handler, and `prepare()`, the loading to start right after listening. */
export interface App {
  handle(input: unknown, ctx: Context): Promise<JsonResult>;
  /** Checks the configuration and, when it is valid, loads the handler's chunks, then the services'. Never rejects. */
  prepare(): Promise<void>;
}

/** Each handler's module is its own chunk, imported once, on demand. To add a function, add a loader here. */
const loaders: Readonly<Record<HandlerName, () => Promise<FunctionHandler>>> = {
  poll: () => import("./poll/handler.js").then((m) => m.pollHandler),
  track: () => import("./track/handler.js").then((m) => m.trackHandler),
  export: () => import("./export/handler.js").then((m) => m.exportHandler),
};

/**
 * The function behind the FDK: `AIDP_WATCH_HANDLER` or the Fn function name
 * (`…-poll`, `…-track`, `…-export`) selects the handler; the adapter checks the
 * configuration once (its own small chunk: zod/mini and the config schema) and
 * only a valid configuration loads the handler (which validates its input
 * before anything else), then the services (oci-common, auth, SDK clients).
 * With an invalid configuration nothing else is loaded, and every call is
 * answered with the error.
 */
export function createApp(env: NodeJS.ProcessEnv = process.env): App {
  const name = selectHandler(env, Object.keys(loaders) as HandlerName[]);

  // Fn's log collection expects JSON lines; oci-common and the FDK write plain
  // text with console.*. The FDK's failure reports become error records, the
  // SDK's routine warnings (one per expected 404/412) debug ones (console-bridge.ts).
  bridgeConsole(createLogger({ level: parseLogLevel(env.AIDP_WATCH_LOG_LEVEL), fields: { function: name } }), env);

  let loading: Promise<FunctionHandler> | undefined;
  const load = (): Promise<FunctionHandler> => {
    if (!loading) {
      const started = loaders[name]();
      // A failed import is not kept: the next call tries again.
      started.catch(() => {
        if (loading === started) loading = undefined;
      });
      loading = started;
    }
    return loading;
  };

  const handler = toFdkHandler(name, async (input, invocation) => (await load())(input, invocation), { env });
  return {
    handle: handler,
    // Failures are reported by the calls that need the config or the handler.
    prepare: () =>
      handler
        .prepare()
        // The handler first: an invalid request needs only its input validation.
        .then((valid) => (valid ? load().then(loadServicesModule) : undefined))
        .then(
          () => undefined,
          () => undefined,
        ),
  };
}
