// The esbuild options for the CLI and the function bundles, in one place:
// scripts/build.mjs builds into dist/, test/support/build-bundles.ts into a
// temporary folder, bench/cold-start.ts analyses the same inputs.
//
// The function bundle is `func.cjs`, a CommonJS entry holding the FDK and the
// launcher (functions/entry.ts), and `chunks/`, ES modules (`.mjs`, split with
// esbuild's `splitting`) it imports once the FDK listens: the app
// (`chunks/app.mjs`), the config check, each handler and the SDK clients,
// each loaded on demand (docs/cold-start.md). The extensions say which is
// which, so no package.json is needed. Ship `func.cjs` together with
// `chunks/` (Dockerfile, scripts/deploy.mjs).
import { existsSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The function bundle's chunk folder, relative to its outdir. */
export const CHUNK_DIR = "chunks";

/**
 * The OCI SDK and the FDK are CommonJS; give every ESM output file (entry and
 * chunks alike: each is its own module scope) a `require` for them.
 */
export const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * HTTP goes through minipass-fetch (shared/http/transport.ts), never the global
 * fetch (undici, whose first load is a cold start's largest single cost) nor
 * node-fetch 2.x. package.json overrides oci-common's and isomorphic-fetch's
 * `node-fetch` with minipass-fetch, which leaves two nested copies of it; the
 * aliases bundle one: `node-fetch` and `isomorphic-fetch` (which oci-common
 * requires for its side effect, installing a global fetch Node already has)
 * become the top-level `minipass-fetch` (esbuild resolves an alias from the
 * working directory). `encoding` (minipass-fetch's optional charset converter,
 * required when it loads, with iconv-lite's code-page tables) becomes a stub:
 * scripts/shims/no-encoding.cjs.
 */
export const alias = { "node-fetch": "minipass-fetch", "isomorphic-fetch": "minipass-fetch", encoding: "./scripts/shims/no-encoding.cjs" };

/**
 * oci-common builds each request's headers with a free `new Headers()`, which
 * is Node's global one: its first use loads undici. In the oci-common files
 * that say so, `Headers` becomes minipass-fetch's (declared after the
 * "use strict" directive, which must stay first to count). Only there:
 * esbuild's `inject` would put minipass-fetch in the entry chunk.
 */
export const ociCommonHeaders = {
  name: "oci-common-headers",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]oci-common[\\/]lib[\\/].*\.js$/ }, async (args) => {
      const contents = await readFile(args.path, "utf8");
      if (!/\bnew Headers\(/.test(contents)) return undefined;
      const line = 'var Headers = require("node-fetch").Headers;';
      const strict = /^\s*(["'])use strict\1;?/.exec(contents);
      return { contents: strict ? `${strict[0]}${line}${contents.slice(strict[0].length)}` : `${line}\n${contents}`, loader: "js" };
    });
  },
};

/**
 * zod's `z.locales` namespace re-exports every translation of its error
 * messages (~300 KB minified, half of zod's bytes), and a namespace export
 * cannot be tree-shaken. aidp-watch only uses the default, English, which zod
 * itself imports directly (`config(en())`); keep only that in the namespace.
 */
export const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};

/** Options shared by every bundle. */
export const commonOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  // Error classes name themselves from `new.target.name`: keep class names through minification.
  keepNames: true,
  sourcemap: "linked",
  legalComments: "none",
  banner: { js: REQUIRE_BANNER },
  logLevel: "warning",
  absWorkingDir: ROOT,
  alias,
  plugins: [zodEnglishOnly, ociCommonHeaders],
};

const BZIP2_WORKER_ENTRY = join(ROOT, "shared/decode/bzip2-worker.ts");
const LZW_WORKER_ENTRY = join(ROOT, "shared/decode/lzw-worker.ts");

/** The launcher's `import("./app.js")`, resolved to the app's chunk next to it. */
const APP_CHUNK = `./${CHUNK_DIR}/app.mjs`;
const appChunk = {
  name: "app-chunk",
  setup(b) {
    b.onResolve({ filter: /^\.\/app\.js$/ }, (args) =>
      args.importer.endsWith(join("functions", "entry.ts")) ? { path: APP_CHUNK, external: true } : undefined,
    );
  },
};

/** `func.cjs` in `outdir`: the FDK and functions/entry.ts, nothing else. */
export function entryBuildOptions(outdir) {
  return {
    ...commonOptions,
    format: "cjs",
    banner: {},
    plugins: [...commonOptions.plugins, appChunk],
    entryPoints: { func: join(ROOT, "functions/entry.ts") },
    outdir,
    outExtension: { ".js": ".cjs" },
  };
}

/** `chunks/app.mjs`, the chunks it imports and `chunks/bzip2-worker.mjs`, in `outdir`. */
export function appBuildOptions(outdir) {
  return {
    ...commonOptions,
    // The bzip2 and .Z decoders' worker threads sit beside the chunks that start them (shared/decode/worker-script.ts).
    entryPoints: { app: join(ROOT, "functions/app.ts"), "bzip2-worker": BZIP2_WORKER_ENTRY, "lzw-worker": LZW_WORKER_ENTRY },
    outdir: join(outdir, CHUNK_DIR),
    splitting: true,
    chunkNames: "[name]-[hash]",
    outExtension: { ".js": ".mjs" },
  };
}

/** The prefix of the CLI's chunk files, beside `cli.js` in its outdir. */
export const CLI_CHUNK_PREFIX = "cli-";

/**
 * `cli.js` (the `bin` entry), `bzip2-worker.js`, `lzw-worker.js` and the chunks they import,
 * split with esbuild's `splitting`: cli/registry.ts imports each command
 * lazily, so `aidp-watch decode` compiles the decode path (~100 KB), not the
 * emulator, the stack and the OCI SDK (~1.4 MB). The chunks sit beside
 * `cli.js` (not in a folder) because code in them finds its neighbours
 * relative to its own module: `func.cjs` (cli/stack-args.ts) and the worker
 * (shared/decode/worker-script.ts).
 */
export function cliBuildOptions(outdir) {
  return {
    ...commonOptions,
    entryPoints: { cli: join(ROOT, "cli/main.ts"), "bzip2-worker": BZIP2_WORKER_ENTRY, "lzw-worker": LZW_WORKER_ENTRY },
    outdir,
    splitting: true,
    chunkNames: `${CLI_CHUNK_PREFIX}[name]-[hash]`,
  };
}

/**
 * Builds the bundles into `outdir` and removes chunks an earlier build left
 * behind (chunk names carry a content hash, so a concurrent build of the same
 * sources writes the same names).
 */
export async function buildAll(outdir) {
  const [app, , cli] = await Promise.all([
    build({ ...appBuildOptions(outdir), metafile: true }),
    build(entryBuildOptions(outdir)),
    build({ ...cliBuildOptions(outdir), metafile: true }),
  ]);
  pruneChunks(join(outdir, CHUNK_DIR), app.metafile, () => true);
  pruneChunks(outdir, cli.metafile, (name) => name.startsWith(CLI_CHUNK_PREFIX));
  return { func: join(outdir, "func.cjs"), cli: join(outdir, "cli.js") };
}

/** Removes the files in `dir` that `isChunk` claims and this build did not write. */
function pruneChunks(dir, metafile, isChunk) {
  if (!existsSync(dir)) return;
  const written = new Set(Object.keys(metafile.outputs).map((o) => resolve(ROOT, o)));
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (isChunk(name) && !written.has(file)) rmSync(file, { force: true });
  }
}
