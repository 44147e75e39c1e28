// Stands in for `minipass-fetch`, `node-fetch` and `isomorphic-fetch` in the
// esbuild bundles (the `fetch-transport` plugin in scripts/build-options.mjs),
// and loads the real minipass-fetch on first use.
//
// Why minipass-fetch (npm's maintained node-fetch v2 fork, on `node:http`):
// every HTTP request of a function goes through it (shared/http/transport.ts),
// never through Node's global fetch, because the global fetch loads undici on
// first use (its `Headers` alone costs 40–90 ms in a fresh Node 22 process, and
// undici can't be in a V8 startup snapshot); and not through node-fetch 2.x,
// oci-common's own choice, whose premature-close check misfires on keep-alive
// sockets (on Node 22.23.0, 59 of 160 ordinary chunked responses failed;
// docs/cold-start.md). package.json overrides oci-common's node-fetch with
// minipass-fetch, so unbundled runs use the same transport.
// Why lazily: minipass-fetch reads `http.STATUS_CODES` at module load, and
// `http` can't be loaded while a startup snapshot is built
// (functions/snapshot-entry.ts). isomorphic-fetch's side effect (installing a
// global fetch) is dropped on purpose.
"use strict";

let real;
const load = () => {
  real ??= require("minipass-fetch");
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
