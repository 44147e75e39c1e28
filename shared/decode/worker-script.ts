import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { WorkerOptions } from "node:worker_threads";

/** How to start a worker thread: a script file, or (from TypeScript sources) an eval'd loader. */
export interface WorkerScript {
  filename: string | URL;
  options: WorkerOptions;
}

/**
 * Finds the worker entry `name` that the build places next to the module that
 * uses it (scripts/build-options.mjs: `dist/<name>.js` beside the CLI,
 * `dist/chunks/<name>.mjs` beside the function's chunks, which the image ships). Returns undefined
 * where there is none, and the caller then decodes on its own thread.
 *
 * Run from the TypeScript sources (tests, tsx), the worker starts a small
 * bootstrap that registers tsx's loader and imports `<name>.ts`: Node 20
 * does not apply `--import` hooks to worker threads.
 */
export function workerScript(moduleUrl: string | undefined, name: string): WorkerScript | undefined {
  if (!moduleUrl) return undefined;
  try {
    for (const ext of [".mjs", ".js"]) {
      const built = new URL(`./${name}${ext}`, moduleUrl);
      if (built.protocol === "file:" && existsSync(fileURLToPath(built))) return { filename: built, options: {} };
    }
    const source = new URL(`./${name}.ts`, moduleUrl);
    if (moduleUrl.endsWith(".ts") && existsSync(fileURLToPath(source))) {
      const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
      return { filename: bootstrap, options: { eval: true } };
    }
  } catch {
    // no usable module URL: decode sequentially
  }
  return undefined;
}
