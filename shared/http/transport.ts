import type { Agent } from "node:http";
import minipassFetch, { type RequestInit, type Response } from "minipass-fetch";

/**
 * The one HTTP transport of aidp-watch: minipass-fetch (npm's maintained fork
 * of node-fetch 2.x) over `node:http`/`https` with Node's global keep-alive
 * agents, for our data-plane client (`SignedHttpClient`) and, through
 * `ociClientConfiguration`'s `httpOptions.agent`, for the Object Storage and
 * Notifications SDK clients (oci-common sends a request with a Node agent
 * through `node-fetch`, which package.json overrides with minipass-fetch).
 *
 * Why not Node's global fetch: it loads undici on first use, which in a fresh
 * process costs more than everything else a function's first call does (its
 * `Headers` alone: 40–90 ms on Node 22), and undici can't be part of the V8
 * startup snapshot the image starts from. Why not node-fetch 2.x: its
 * premature-close check misfires on reused keep-alive sockets (on Node
 * 22.23.0, most chunked responses failed). docs/cold-start.md has the numbers.
 * In the bundles, minipass-fetch itself loads on first use (scripts/shims/lazy-fetch.cjs).
 */
export type Headers = InstanceType<typeof minipassFetch.Headers>;
export type { Response };

/** minipass-fetch's `Headers`, read when called: reading it at module load would load `http` (snapshot). */
export function createHeaders(init: Record<string, string>): Headers {
  return new minipassFetch.Headers(init);
}

/**
 * The agent of every request: Node's global agent for the URL's protocol
 * (keep-alive since Node 19; without an agent minipass-fetch sends
 * `Connection: close`). Looked up per request, not imported: importing
 * `node:http` in this module would load it while a startup snapshot is built.
 */
export function nodeAgent(url: URL): Agent {
  return url.protocol === "https:" ? process.getBuiltinModule("node:https").globalAgent : process.getBuiltinModule("node:http").globalAgent;
}

/** Sends one request through minipass-fetch with Node's agents. */
export function send(url: string, init: Omit<RequestInit, "agent">): Promise<Response> {
  return minipassFetch(url, { ...init, agent: nodeAgent });
}

/**
 * The body as UTF-8 text, decoded chunk by chunk (`node:stream/consumers`):
 * `Response.text()` keeps every chunk until it returns, a third copy of the
 * body (~100 MB more peak RSS for a 200 MB export's fetchOutput;
 * bench/results/export.json). Looked up per call for the same reason as
 * `nodeAgent`: the snapshot builder warns on `node:stream/consumers`.
 */
export function bodyText(res: Response): Promise<string> {
  return process.getBuiltinModule("node:stream/consumers").text(res.body);
}
