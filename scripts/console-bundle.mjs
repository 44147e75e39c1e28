// The console page's script (console/page/console-app.ts) as one file for the
// browser, served by the console server: no CDN, nothing fetched at run time.
// With an outfile it is written there (npm run build → dist/console/console.js);
// without, the text is returned (tests build their own copy, never racing dist/).
import { join } from "node:path";
import * as esbuild from "esbuild";
import { ROOT } from "./build-options.mjs";

export async function bundleConsoleScript(outfile) {
  const result = await esbuild.build({
    entryPoints: [join(ROOT, "console", "page", "console-app.ts")],
    bundle: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    logLevel: "warning",
    ...(outfile ? { outfile } : { write: false, outfile: "console.js" }),
  });
  return outfile ? undefined : result.outputFiles[0].text;
}
