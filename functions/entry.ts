import { serve } from "./serve.js";

/**
 * The FDK entry point bundled to dist/func.js + dist/chunks/, serving every
 * function (see serve.ts) as a plain `node func.js`: the local stack's
 * fallback when no startup snapshot can be built, and what most e2e tests run.
 * The image (and `npm start`) start from the V8 startup snapshot built from
 * snapshot-entry.ts instead; both serve through the same `serve`.
 *
 * Cold start: only the FDK and the adapter are imported statically. The
 * selected handler's module (and through it the SDK, schemas and shared code
 * it needs) is a separate chunk, imported once; every call awaits the same
 * promise. To add a function, add a loader here and in snapshot-entry.ts.
 */
serve({
  poll: () => import("./poll/handler.js").then((m) => m.pollHandler),
  track: () => import("./track/handler.js").then((m) => m.trackHandler),
  export: () => import("./export/handler.js").then((m) => m.exportHandler),
});
