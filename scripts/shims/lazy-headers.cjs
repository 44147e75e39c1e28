// Prepended to the oci-common files that say `new Headers()` (the
// `oci-common-headers` plugin in scripts/build-options.mjs; oci-common builds
// each request's headers so): their `Headers` becomes minipass-fetch's, so a
// function never touches the global `Headers`, whose first use loads undici
// (see scripts/shims/lazy-fetch.cjs). A proxy, not the class itself, so that
// minipass-fetch (and `http` with it) still loads only on first use.
"use strict";

const fetch = require("./lazy-fetch.cjs");

exports.Headers = new Proxy(function Headers() {}, {
  construct: (_target, args) => new fetch.Headers(...args),
  get: (_target, key) => fetch.Headers[key],
});
