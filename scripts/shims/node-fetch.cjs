// Stands in for `node-fetch` and `isomorphic-fetch` in the esbuild bundles
// (see scripts/build-options.mjs). oci-common requires them, but on Node ≥ 18
// it sends through the global fetch unless a request carries a Node HTTP
// agent (which aidp-watch never sets); bundling node-fetch would drag in
// whatwg-url and tr46's ~260 KB punycode tables for nothing. A request with an
// agent fails loudly here instead of silently dropping the agent.
"use strict";

function fetchShim(url, options) {
  if (options?.agent) {
    return Promise.reject(new Error("node-fetch is not bundled (scripts/shims/node-fetch.cjs): requests with a Node HTTP agent are not supported"));
  }
  return globalThis.fetch(url, options);
}

module.exports = fetchShim;
module.exports.default = fetchShim;
// Getters, not copies: reading globalThis.Headers loads undici, which a V8
// startup snapshot cannot hold (see functions/snapshot-entry.ts); oci-common reads them per request.
for (const name of ["Headers", "Request", "Response"]) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => globalThis[name] });
}
