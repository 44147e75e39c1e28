import fdk from "@fnproject/fdk";
import type { HandlerName } from "../shared/config/config-schema.js";
import { bridgeConsole } from "../shared/log/console-bridge.js";
import { createLogger, parseLogLevel } from "../shared/log/logger.js";
import { selectHandler, toFdkHandler } from "./fdk-adapter.js";
import type { FunctionHandler } from "./invocation.js";

/**
 * The FDK entry point, bundled to dist/func.js + dist/chunks/ and run as
 * `node func.js` by the image and the local stack. One bundle serves every
 * function: `AIDP_WATCH_HANDLER` or the Fn function name (`…-poll`,
 * `…-track`, `…-export`) selects the handler.
 *
 * Cold start (docs/cold-start.md): only the FDK and the adapter are imported
 * statically. Right after the FDK listens, the adapter's configuration check
 * starts (zod and the config schema, a small chunk) and, when the
 * configuration is valid, the handler's chunk (the SDK, schemas and shared
 * code it needs) follows: loading overlaps Fn sending the first request. With
 * an invalid configuration the handler is never loaded, and the error is
 * answered as soon as it is known. Every call awaits the same import.
 */
const loaders: Readonly<Record<HandlerName, () => Promise<FunctionHandler>>> = {
  poll: () => import("./poll/handler.js").then((m) => m.pollHandler),
  track: () => import("./track/handler.js").then((m) => m.trackHandler),
  export: () => import("./export/handler.js").then((m) => m.exportHandler),
};

const env = process.env;
const name = selectHandler(env, Object.keys(loaders) as HandlerName[]);

// Fn's log collection expects JSON lines; oci-common and the FDK write plain
// text with console.* (e.g. a warning for every expected 404/412). Those become
// debug records (dropped at the default level); the adapter logs failures itself.
bridgeConsole(createLogger({ level: parseLogLevel(env.AIDP_WATCH_LOG_LEVEL), fields: { function: name } }));

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
fdk.handle(handler);
// After the FDK's listen callback (it runs on the next tick and creates the
// socket link Fn waits for), not before: importing chunks first would hold the
// socket back (Node 22 compiles them before that callback runs). Failures are
// reported by the calls that need the config or the handler.
setImmediate(() => {
  handler
    .prepare()
    .then((valid) => (valid ? load() : undefined))
    .catch(() => {});
});
