// Stands in for `whatwg-url` (node-fetch's fallback for platforms without a
// WHATWG URL) in the esbuild bundles: node-fetch only uses it when Node's
// `url.URL` is missing, which it never is, and the package would bring tr46's
// ~260 KB punycode tables.
"use strict";

const { URL, URLSearchParams } = require("node:url");

module.exports = { URL, URLSearchParams };
