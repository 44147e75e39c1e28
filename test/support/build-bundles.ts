import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAll } from "../../scripts/build-options.mjs";

/**
 * Builds `cli.js` and `func.cjs` (+ `chunks/`) with scripts/build.mjs's options
 * (scripts/build-options.mjs), but into a private temporary folder, so an
 * end-to-end test never races another test (or a developer's `npm run build`)
 * writing the shared `dist/`.
 */
export async function buildBundles(): Promise<{ dir: string; cli: string; func: string }> {
  const dir = mkdtempSync(join(tmpdir(), "aidp-watch-bundle-"));
  const { cli, func } = await buildAll(dir);
  return { dir, cli, func };
}
