// Stands in for `encoding` (minipass-fetch's optional dependency, which brings
// iconv-lite's code-page tables) in the esbuild bundles. minipass-fetch
// requires it inside try/catch and uses it only in `Response.textConverted()`,
// which nothing here calls; failing to load is what it expects when absent.
"use strict";

throw Object.assign(new Error("encoding is not bundled (scripts/shims/no-encoding.cjs)"), { code: "MODULE_NOT_FOUND" });
