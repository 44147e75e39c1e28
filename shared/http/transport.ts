import type { Agent } from "node:http";
import nodeFetch, { Headers, type RequestInit, type Response } from "node-fetch";

/**
 * The one HTTP transport of aidp-watch: node-fetch over `node:http`/`https`
 * with Node's global (keep-alive) agents, for our data-plane client
 * (`SignedHttpClient`) and, through `ociClientConfiguration`'s
 * `httpOptions.agent`, for the Object Storage and Notifications SDK clients
 * (oci-common sends a request with a Node agent through node-fetch).
 *
 * Why not Node's global fetch: it loads undici on first use, which in a fresh
 * process costs more than everything else a function's first call does (its
 * `Headers` alone: 40–90 ms on Node 22; bench/cold-start.ts, docs/cold-start.md),
 * and undici can't be part of the V8 startup snapshot the image starts from.
 * In the bundles, node-fetch itself loads on first use (scripts/shims/node-fetch.cjs).
 */
export { Headers };
export type { RequestInit, Response };

/**
 * The agent of every request: `undefined`, which `node:http`/`https` take as
 * their global agent for the URL's protocol (keep-alive since Node 19). A
 * function, not nothing, because oci-common sends through node-fetch only when
 * `httpOptions.agent` is set; and not `https.globalAgent` itself, because
 * importing `node:http` here would load it while a startup snapshot is built.
 */
export function nodeAgent(_url: URL): Agent | undefined {
  return undefined;
}

/** Sends one request through node-fetch with Node's agents. */
export function send(url: string, init: Omit<RequestInit, "agent">): Promise<Response> {
  return nodeFetch(url, { ...init, agent: nodeAgent });
}
