// Injected into the function bundles (esbuild `inject`, scripts/build-options.mjs):
// every free `Headers` in bundled code — oci-common builds each request's
// headers with `new Headers()` — becomes minipass-fetch's, so a function never
// touches the global `Headers`, whose first use loads undici (see
// scripts/shims/lazy-fetch.cjs). A proxy, not the class itself, so that
// minipass-fetch (and `http` with it) still loads only on first use.
import nodeFetch from "minipass-fetch";

export const Headers = new Proxy(function Headers() {}, {
  construct: (_target, args) => new nodeFetch.Headers(...args),
  get: (_target, key) => nodeFetch.Headers[key],
});
