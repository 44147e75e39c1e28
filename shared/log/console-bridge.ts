/**
 * Routes `console.*` output of third-party code into our structured logger.
 * oci-common's retrier writes a plain-text `console.warn` for every request it
 * does not retry ("Request cannot be retried… ObjectNotFound") — routine for
 * us, since 404 and 412 are answers we expect — and the FDK prints thrown
 * errors with `console.warn`. Left alone, these would interleave unstructured
 * text with the JSON lines OCI Logging expects. Bridged, they become `debug`
 * records (dropped at the default level), redacted like everything else.
 *
 * Install once per process, at the entry point. Returns a function that
 * restores the original console.
 */
import { format } from "node:util";
import type { Logger } from "./logger.js";

const METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

export function bridgeConsole(logger: Logger): () => void {
  // biome-ignore lint/suspicious/noConsole: this module exists to take over the console.
  const original = Object.fromEntries(METHODS.map((m) => [m, console[m]])) as Record<(typeof METHODS)[number], (...args: unknown[]) => void>;
  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => {
      logger.debug(format(...args), { source: "console", consoleMethod: method });
    };
  }
  return () => {
    for (const method of METHODS) console[method] = original[method];
  };
}
