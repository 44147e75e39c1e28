// Bundles the CLI and every function entry point with esbuild. Bundling keeps
// cold start small (one file, no node_modules walk) — see bench/cold-start.
import { build } from "esbuild";
import { existsSync, mkdirSync } from "node:fs";

const entries = {
  cli: "cli/main.ts",
  func: "functions/entry.ts",
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, path]) => existsSync(path)));
mkdirSync("dist", { recursive: true });
await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  // Error classes name themselves from `new.target.name`: keep class names through minification.
  keepNames: true,
  sourcemap: "linked",
  legalComments: "none",
  // The OCI SDK and the FDK are CommonJS; give the ESM bundle a `require` for them.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: "warning",
});
