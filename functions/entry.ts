/**
 * The process entry: bundled as CommonJS into dist/func.cjs, which the image
 * and the local stack run (`node func.cjs`). It holds the FDK and these lines,
 * nothing else, so the socket Fn waits for is ready as soon as a bare FDK
 * hello-world's: a CommonJS entry skips the ES module loader's start-up,
 * which costs about a fifth of a bare start (docs/cold-start.md).
 *
 * Everything else is ES modules in dist/chunks/ (`.mjs`), imported right after
 * the FDK listens, overlapping Fn's first request: the app (adapter, handler
 * selection; app.ts), then the configuration check, then the handler's chunks.
 * The build maps `./app.js` to `./chunks/app.mjs` (scripts/build-options.mjs).
 */
import fdk, { type Context } from "@fnproject/fdk";
import type { App } from "./app.js";

let app: Promise<App> | undefined;
const loadApp = (): Promise<App> => {
  if (!app) {
    const started = import("./app.js").then((m) => m.createApp());
    // A failed import is not kept: the next call tries again.
    started.catch(() => {
      if (app === started) app = undefined;
    });
    app = started;
  }
  return app;
};

fdk.handle(async (input: unknown, ctx: Context) => (await loadApp()).handle(input, ctx));

// After the FDK's listen callback (it runs on the next tick and creates the
// socket link Fn waits for), not before: importing first would hold the socket
// back. A failure here is reported by the calls, which load again.
setImmediate(() => {
  loadApp()
    .then((a) => a.prepare())
    .catch(() => {});
});
