import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

/**
 * Builds `dist/cli.js` and `dist/func.js` the way scripts/build.mjs does, but
 * into a private temporary folder, so an end-to-end test never races another
 * test (or a developer's `npm run build`) writing the shared `dist/`.
 * Keep the options in step with scripts/build.mjs.
 */
export async function buildBundles(): Promise<{ dir: string; cli: string; func: string }> {
  const dir = mkdtempSync(join(tmpdir(), "aidp-watch-bundle-"));
  await build({
    entryPoints: { cli: "cli/main.ts", func: "functions/entry.ts" },
    outdir: dir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    keepNames: true,
    sourcemap: "linked",
    legalComments: "none",
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: "warning",
  });
  return { dir, cli: join(dir, "cli.js"), func: join(dir, "func.js") };
}
