// minipass-fetch ships no types and no @types package exists; this covers what
// shared/http/transport.ts uses (its API is node-fetch 2.x's).
declare module "minipass-fetch" {
  import type { Agent } from "node:http";

  export type HeadersInit = Headers | Record<string, string> | Iterable<readonly [string, string]>;

  export class Headers implements Iterable<[string, string]> {
    constructor(init?: HeadersInit);
    get(name: string): string | null;
    set(name: string, value: string): void;
    has(name: string): boolean;
    append(name: string, value: string): void;
    delete(name: string): void;
    forEach(callback: (value: string, name: string) => void): void;
    entries(): IterableIterator<[string, string]>;
    [Symbol.iterator](): IterableIterator<[string, string]>;
  }

  export interface RequestInit {
    method?: string;
    headers?: HeadersInit;
    body?: string | Buffer | NodeJS.ReadableStream;
    signal?: AbortSignal;
    redirect?: "follow" | "manual" | "error";
    /** A Node agent, or one picked per request from the parsed URL. Without one, minipass-fetch sends `Connection: close`. */
    agent?: Agent | ((url: URL) => Agent);
  }

  export interface Response {
    readonly status: number;
    readonly statusText: string;
    readonly ok: boolean;
    readonly headers: Headers;
    /** A Minipass stream: pipe()-able and async-iterable. */
    readonly body: NodeJS.ReadableStream & AsyncIterable<Buffer>;
    text(): Promise<string>;
  }

  /** A network failure: `code` is the system error code (ECONNREFUSED, ECONNRESET…). */
  export class FetchError extends Error {
    readonly type: string;
    readonly code?: string;
    readonly errno?: string;
  }

  interface Fetch {
    (url: string, init?: RequestInit): Promise<Response>;
    readonly Headers: typeof Headers;
    readonly FetchError: typeof FetchError;
    /** A response over a given body (test/unit/http/body-bytes.test.ts reads odd bodies through it). */
    readonly Response: new (
      body?: NodeJS.ReadableStream | string | Buffer,
      init?: { headers?: HeadersInit; status?: number },
    ) => Response;
  }
  const fetch: Fetch;
  export default fetch;
}
