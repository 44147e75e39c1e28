// The esbuild options for the CLI and the function bundles, in one place:
// scripts/build.mjs builds into dist/, test/support/build-bundles.ts into a
// temporary folder, bench/cold-start.ts analyses the same inputs.
//
// The function bundle (`func.js`) is split (ESM `splitting`): the entry holds
// the FDK and the adapter; each handler, and the SDK clients it creates, are
// chunks under `chunks/` loaded with `import()` on demand. Ship `func.js`
// together with `chunks/` (Dockerfile, scripts/deploy.mjs).
import { existsSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { jsonwebtokenDecodeOnly, lazyPackages, lazySdkModels, standIn } from "./lazy-modules.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The function bundle's chunk folder, relative to its outdir. */
export const CHUNK_DIR = "chunks";

/**
 * The OCI SDK and the FDK are CommonJS; give every ESM output file (entry and
 * chunks alike: each is its own module scope) a `require` for them.
 */
export const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * HTTP goes through minipass-fetch, loaded on first use, never the global
 * fetch (undici) nor node-fetch 2.x: see scripts/shims/lazy-fetch.cjs.
 * `minipass-fetch`, `node-fetch` and `isomorphic-fetch` (which oci-common
 * requires) resolve to the lazy shim, except from the shim itself, which loads
 * the real minipass-fetch; `encoding` (its optional charset converter) to a
 * stub; and oci-common's free `Headers` to minipass-fetch's
 * (scripts/shims/lazy-headers.cjs), only in the files that use it: esbuild's
 * `inject` would put the shim, and minipass-fetch's code, in the entry chunk.
 */
const FETCH_SHIM = join(ROOT, "scripts/shims/lazy-fetch.cjs");
export const fetchTransport = {
  name: "fetch-transport",
  setup(b) {
    b.onResolve({ filter: /^(minipass-fetch|node-fetch|isomorphic-fetch)$/ }, (args) => (args.importer === FETCH_SHIM ? undefined : { path: FETCH_SHIM }));
  },
};
export const alias = { encoding: "./scripts/shims/no-encoding.cjs" };
const LAZY_HEADERS = join(ROOT, "scripts/shims/lazy-headers.cjs");
export const ociCommonHeaders = {
  name: "oci-common-headers",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]oci-common[\\/]lib[\\/].*\.js$/ }, async (args) => {
      const contents = await readFile(args.path, "utf8");
      if (!/\bnew Headers\(/.test(contents)) return undefined;
      // After the "use strict" directive, which must stay first to count.
      const line = `var Headers = require(${JSON.stringify(LAZY_HEADERS)}).Headers;`;
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
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: "js" }));
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
  // Deferred initialisation of SDK code a call does not use: scripts/lazy-modules.mjs.
  plugins: [zodEnglishOnly, fetchTransport, ociCommonHeaders, lazyPackages, jsonwebtokenDecodeOnly, lazySdkModels],
};

/** `func.js` + `chunks/*.js` in `outdir`. */
export function functionBuildOptions(outdir) {
  return {
    ...commonOptions,
    entryPoints: { func: join(ROOT, "functions/entry.ts") },
    outdir,
    splitting: true,
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
  };
}

/**
 * For the V8 startup snapshot bundle: `http`, `https`, `tls` and `net` hold
 * native handles that `node --build-snapshot` cannot serialise (Node 22 aborts
 * with "CheckGlobalAndEternalHandles failed" once `http` is loaded), and the
 * FDK and oci-common require them at module load but use them only when
 * serving or sending. Each becomes a stand-in that requires the real module on
 * first property access, which happens after deserialisation.
 */
export const lazyNetworkBuiltins = {
  name: "lazy-network-builtins",
  setup(b) {
    const filter = /^(node:)?(http|https|tls|net)$/;
    b.onResolve({ filter }, (args) =>
      args.namespace === "lazy-builtin" ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ""), namespace: "lazy-builtin" },
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({ loader: "js", contents: standIn(`node:${args.path}`, "object") }));
  },
};

/** The snapshot bundle's folder, relative to its outdir. */
export const SNAPSHOT_DIR = "snapshot";

/**
 * `snapshot/func-snapshot.cjs`: the whole function (every handler, the SDK
 * clients) in one CommonJS script, the form `node --build-snapshot` takes
 * (it cannot load ES modules or other files). See functions/snapshot-entry.ts.
 */
export function snapshotBuildOptions(outdir) {
  return {
    ...commonOptions,
    format: "cjs",
    banner: {},
    plugins: [...commonOptions.plugins, lazyNetworkBuiltins],
    entryPoints: { "func-snapshot": join(ROOT, "functions/snapshot-entry.ts") },
    outdir: join(outdir, SNAPSHOT_DIR),
    outExtension: { ".js": ".cjs" },
  };
}

/** `cli.js`, one file. */
export function cliBuildOptions(outdir) {
  return { ...commonOptions, entryPoints: { cli: join(ROOT, "cli/main.ts") }, outdir };
}

/**
 * Builds both bundles into `outdir` and removes chunks an earlier build left
 * behind (chunk names carry a content hash, so a concurrent build of the same
 * sources writes the same names).
 */
export async function buildAll(outdir, { metafile = false } = {}) {
  const [func, , cli] = await Promise.all([
    build({ ...functionBuildOptions(outdir), metafile: true }),
    build(snapshotBuildOptions(outdir)),
    existsSync(join(ROOT, "cli/main.ts")) ? build({ ...cliBuildOptions(outdir), metafile }) : Promise.resolve(undefined),
  ]);
  pruneChunks(outdir, func.metafile);
  return { func: join(outdir, "func.js"), snapshotScript: join(outdir, SNAPSHOT_DIR, "func-snapshot.cjs"), cli: join(outdir, "cli.js"), funcMetafile: func.metafile, cliMetafile: cli?.metafile };
}

function pruneChunks(outdir, metafile) {
  const dir = join(outdir, CHUNK_DIR);
  if (!existsSync(dir)) return;
  const written = new Set(Object.keys(metafile.outputs).map((o) => resolve(ROOT, o)));
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!written.has(file)) rmSync(file, { force: true });
  }
}
