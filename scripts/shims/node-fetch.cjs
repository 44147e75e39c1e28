// Stands in for `node-fetch` and `isomorphic-fetch` in the esbuild bundles
// (the `fetch-transport` plugin in scripts/build-options.mjs), and loads the
// real node-fetch on first use.
//
// Why node-fetch at all: every HTTP request of a function goes through it
// (shared/http/transport.ts), never through Node's global fetch, because the
// global fetch loads undici on first use (its `Headers` alone costs 40–90 ms
// in a fresh Node 22 process; undici can't be in a V8 startup snapshot
// either), while node-fetch sits on `node:http` (~10 ms with http/https).
// Why lazily: node-fetch reads `http.STATUS_CODES` at module load, and `http`
// can't be loaded while a startup snapshot is built (functions/snapshot-entry.ts).
// Side effects of the real packages are dropped on purpose: isomorphic-fetch
// would install node-fetch as the global fetch.
"use strict";

let real;
const load = () => {
  real ??= require("node-fetch");
  return real;
};

function fetch(url, options) {
  return load()(url, options);
}

module.exports = fetch;
module.exports.default = fetch;
for (const name of ["Headers", "Request", "Response", "FetchError", "AbortError"]) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });
}
