// Bundles the CLI (dist/cli.js) and the function entry (dist/func.cjs plus its
// lazily loaded chunks in dist/chunks/) with esbuild; the options live in
// scripts/build-options.mjs. Bundling and splitting keep cold start small (see
// bench/cold-start.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildAll, ROOT } from "./build-options.mjs";
import { bundleConsoleScript } from "./console-bundle.mjs";

const outdir = join(ROOT, "dist");
mkdirSync(outdir, { recursive: true });
await buildAll(outdir);

// The console page's script, for the browser (scripts/console-bundle.mjs).
await bundleConsoleScript(join(outdir, "console", "console.js"));
