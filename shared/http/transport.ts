/**
 * The one HTTP transport of aidp-watch: minipass-fetch (npm's maintained fork
 * of node-fetch 2.x) over `node:http`/`https` with Node's global keep-alive
 * agents, for our data-plane client (`SignedHttpClient`) and, through
 * `ociClientConfiguration`'s `httpOptions.agent`, for the Object Storage and
 * Notifications SDK clients (oci-common sends a request with a Node agent
 * through `node-fetch`, which package.json overrides with minipass-fetch, and
 * the bundles alias to it: scripts/build-options.mjs).
 *
 * Why not Node's global fetch: it loads undici on first use, which in a fresh
 * process costs more than everything else a function's first call does (its
 * `Headers` alone: 40–90 ms on Node 22). Why not node-fetch 2.x: its
 * premature-close check misfires on reused keep-alive sockets (on Node
 * 22.23.0, most chunked responses failed). docs/cold-start.md has the details;
 * test/integration/http/transport.test.ts the cases.
 */
import { type Agent, globalAgent as httpAgent } from "node:http";
import { text } from "node:stream/consumers";
import minipassFetch, { type RequestInit, type Response } from "minipass-fetch";

export type Headers = InstanceType<typeof minipassFetch.Headers>;
export type { Response };

export function createHeaders(init: Record<string, string>): Headers {
  return new minipassFetch.Headers(init);
}

/**
 * The agent of every request: Node's global agent for the URL's protocol
 * (keep-alive since Node 19; without an agent minipass-fetch sends
 * `Connection: close`). `node:https` is looked up on the first https URL, not
 * imported: it brings TLS and the root certificates, which a function talking
 * plain http (the local emulator) never needs.
 */
export function nodeAgent(url: URL): Agent {
  return url.protocol === "https:" ? process.getBuiltinModule("node:https").globalAgent : httpAgent;
}

/** Sends one request through minipass-fetch with Node's agents. */
export function send(url: string, init: Omit<RequestInit, "agent">): Promise<Response> {
  return minipassFetch(url, { ...init, agent: nodeAgent });
}

/**
 * The body as UTF-8 text, decoded chunk by chunk (`node:stream/consumers`):
 * `Response.text()` keeps every chunk until it returns, a third copy of the
 * body (~100 MB more peak RSS for a 200 MB export's fetchOutput;
 * bench/results/export.json).
 */
export function bodyText(res: Response): Promise<string> {
  return text(res.body);
}
