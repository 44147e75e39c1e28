import fdk from "@fnproject/fdk";
import type { HandlerName } from "../shared/config/config-schema.js";
import { bridgeConsole } from "../shared/log/console-bridge.js";
import { createLogger, parseLogLevel } from "../shared/log/logger.js";
import { selectHandler, toFdkHandler } from "./fdk-adapter.js";
import type { FunctionHandler } from "./invocation.js";

/** How to get each handler: an `import()` of its chunk (func.js), or the module already in the heap (snapshot). */
export type HandlerLoaders = Readonly<Record<HandlerName, () => Promise<FunctionHandler>>>;

/**
 * Serves the selected handler under the FDK; the one start-up sequence of both
 * entry points (`entry.ts` → dist/func.js, `snapshot-entry.ts` → the V8
 * startup snapshot). Everything here reads the *runtime* environment, so in
 * the snapshot it runs after deserialisation, never while the snapshot is built.
 *
 * Which handler runs is chosen by `AIDP_WATCH_HANDLER` or the Fn function name
 * (`…-poll`, `…-track`, `…-export`). Right after the FDK listens, the
 * adapter's configuration check starts and, when the configuration is valid,
 * the handler's load follows: loading overlaps Fn sending the first request.
 * With an invalid configuration the handler is never loaded, and the error is
 * answered as soon as it is known.
 */
export function serve(loaders: HandlerLoaders, env: NodeJS.ProcessEnv = process.env): void {
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
  // socket link Fn waits for), not before: importing the handler's chunks
  // first would hold the socket back (Node 22 compiles them before that
  // callback runs). Failures are reported by the calls that need the config or the handler.
  setImmediate(() => {
    handler
      .prepare()
      .then((valid) => (valid ? load() : undefined))
      .catch(() => {});
  });
}
