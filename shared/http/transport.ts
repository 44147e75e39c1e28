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
import * as buffer from "node:buffer";
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

/**
 * The body as one Buffer, for a body parsed from its bytes (a fetchOutput
 * response: large-string-json.ts keeps its base64 value as these bytes).
 * With a Content-Length and no Content-Encoding (minipass-fetch inflates an
 * encoded body, so its length is not the declared one) the chunks are copied
 * into one buffer of that size as they arrive: the body is held once, where
 * collecting the chunks and concatenating them holds it twice at the end.
 * `Buffer.allocUnsafe` does not touch the memory (on Linux a 2 GiB one adds
 * nothing to RSS until written), so a Content-Length larger than the body
 * costs nothing before it is caught.
 * A body that disagrees with its Content-Length is an error (the socket
 * closed early, or a broken proxy): never a silently shortened document.
 */
export async function bodyBytes(res: Response): Promise<Buffer> {
  const declared = declaredLength(res);
  if (declared === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const out = Buffer.allocUnsafe(declared);
  let at = 0;
  for await (const chunk of res.body) {
    if (at + chunk.length > declared) throw bodyLengthError(`body is longer than its Content-Length (${declared} bytes)`);
    chunk.copy(out, at);
    at += chunk.length;
  }
  if (at !== declared) throw bodyLengthError(`body ended after ${at} of its ${declared} bytes (Content-Length)`);
  return out;
}

/** Shaped like a system error (message + `code`): the signed client reports it as a `NetworkError` with that code. */
function bodyLengthError(message: string): Error {
  return Object.assign(new Error(message), { code: "BODY_LENGTH_MISMATCH" });
}

/** Content-Length when it is the length of the body as read (no Content-Encoding); undefined otherwise. */
function declaredLength(res: Response): number | undefined {
  const encoding = res.headers.get("content-encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") return undefined;
  const raw = res.headers.get("content-length");
  if (raw === null || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n <= buffer.constants.MAX_LENGTH ? n : undefined;
}
