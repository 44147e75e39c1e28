// The FDK ships no types (0.0.76) and no @types package exists; this covers what we use.
declare module "@fnproject/fdk" {
  import type { Readable } from "node:stream";
  export interface Context {
    readonly config: Record<string, string | undefined>;
    readonly headers: Record<string, string[]>;
    readonly callID: string | null;
    readonly deadline: Date | null;
    readonly appName: string | undefined;
    readonly appID: string | undefined;
    readonly fnName: string | undefined;
    readonly fnID: string | undefined;
    readonly memory: number | undefined;
    readonly contentType: string | undefined;
    readonly body: unknown;
    responseContentType: string;
    getHeader(key: string): string | null;
    getAllHeaderValues(key: string): string[];
    setResponseHeader(key: string, ...values: string[]): void;
    addResponseHeader(key: string, ...values: string[]): void;
  }
  export type Handler = (input: unknown, ctx: Context) => unknown;
  export function handle(fn: Handler, options?: { inputMode?: "json" | "string" | "buffer" }): () => void;
  export function streamResult(stream: Readable): unknown;
  export function rawResult(data: Buffer | string): unknown;
}
