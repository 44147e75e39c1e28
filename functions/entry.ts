import fdk from "@fnproject/fdk";
import type { HandlerName } from "../shared/config/config-schema.js";
import { bridgeConsole } from "../shared/log/console-bridge.js";
import { createLogger, parseLogLevel } from "../shared/log/logger.js";
import { selectHandler, toFdkHandler } from "./fdk-adapter.js";
import type { FunctionHandler } from "./invocation.js";

/**
 * The single FDK entry point (bundled to dist/func.js + dist/chunks/) serving
 * every function: which handler runs is chosen by `AIDP_WATCH_HANDLER` or the
 * Fn function name (`…-poll`, `…-track`, `…-export`). To add a function, add
 * a loader to `loaders`.
 *
 * Cold start: only the FDK and the adapter are imported statically. The
 * selected handler's module (and through it the SDK, schemas and shared code
 * it needs) is a separate chunk, imported once; every call awaits the same
 * promise. Right after the FDK listens, the adapter's configuration check
 * starts and, when the configuration is valid, the handler's import follows:
 * loading overlaps Fn sending the first request. (The handler's chunks need
 * the schema code the check loads anyway; with an invalid configuration the
 * handler is never loaded, and the error is answered as soon as it is known.)
 */
const loaders: Record<HandlerName, () => Promise<FunctionHandler>> = {
  poll: () => import("./poll/handler.js").then((m) => m.pollHandler),
  track: () => import("./track/handler.js").then((m) => m.trackHandler),
  export: () => import("./export/handler.js").then((m) => m.exportHandler),
};

const name = selectHandler(process.env, Object.keys(loaders) as HandlerName[]);

// Fn's log collection expects JSON lines; oci-common and the FDK write plain
// text with console.* (e.g. a warning for every expected 404/412). Those become
// debug records (dropped at the default level); the adapter logs failures itself.
bridgeConsole(createLogger({ level: parseLogLevel(process.env.AIDP_WATCH_LOG_LEVEL), fields: { function: name } }));

let loading: Promise<FunctionHandler> | undefined;
function load(): Promise<FunctionHandler> {
  if (!loading) {
    const started = loaders[name]();
    // A failed import is not kept: the next call tries again.
    started.catch(() => {
      if (loading === started) loading = undefined;
    });
    loading = started;
  }
  return loading;
}

const handler = toFdkHandler(name, async (input, invocation) => (await load())(input, invocation));
fdk.handle(handler);
// Failures are reported by the calls that need the config or the handler.
handler
  .prepare()
  .then((valid) => (valid ? load() : undefined))
  .catch(() => {});
