// node-fetch 2.x ships no types, and @types/node-fetch@2 would bring form-data
// with it; this covers what shared/http/transport.ts uses.
declare module "node-fetch" {
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
    /** A Node agent, or one picked per request from the parsed URL (`undefined`: the global agent). */
    agent?: Agent | ((url: URL) => Agent | undefined);
  }

  export interface Response {
    readonly status: number;
    readonly statusText: string;
    readonly ok: boolean;
    readonly headers: Headers;
    readonly body: NodeJS.ReadableStream;
    text(): Promise<string>;
  }

  /** A network failure: `code` is the system error code (ECONNREFUSED, ECONNRESET…). */
  export class FetchError extends Error {
    readonly type: string;
    readonly code?: string;
    readonly errno?: string;
  }

  export default function fetch(url: string, init?: RequestInit): Promise<Response>;
}
