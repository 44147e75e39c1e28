/**
 * Routes `console.*` output of third-party code into our structured logger,
 * so OCI Logging gets JSON lines only, redacted like everything else:
 * - the FDK's own failure reports (a response it could not write, a JSON
 *   error it sent, a socket it could not open, a bad FN_FORMAT or
 *   FN_LISTENER) become `error` records (`source: "fdk"`), visible at the
 *   default level: they are the only trace of a call that failed outside
 *   our handler;
 * - any other `console.error` becomes an `error` record;
 * - the rest — oci-common's retrier writes a plain-text `console.warn` for
 *   every request it does not retry ("Request cannot be retried…
 *   ObjectNotFound"), routine for us since 404 and 412 are answers we expect,
 *   and the FDK's "Error in function:" (the adapter has logged that failure
 *   itself, redacted) — becomes `debug` records, dropped at the default level;
 * - Fn's log-frame markers (`FN_LOGFRAME_NAME=<call id>`) go out unchanged:
 *   Fn's log collection looks for them as written.
 *
 * Install once per process, at the entry point. Returns a function that
 * restores the original console.
 */
import { format } from "node:util";
import type { Logger } from "./logger.js";

const METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/** What the FDK (@fnproject/fdk 0.0.76, fn-fdk.js) prints when a call or the process fails outside the handler. */
const FDK_FAILURES = [
  /^Error \d{3} : /,
  /^error writing response data/,
  /^Unable to connect to unix socket/,
  /^The Node\.js FDK does not support/,
  /^Invalid configuration no FN_LISTENER/,
];

export function bridgeConsole(logger: Logger, env: Record<string, string | undefined> = process.env): () => void {
  // biome-ignore lint/suspicious/noConsole: this module exists to take over the console.
  const original = Object.fromEntries(METHODS.map((m) => [m, console[m]])) as Record<
    (typeof METHODS)[number],
    (...args: unknown[]) => void
  >;
  const logFrame = env.FN_LOGFRAME_NAME ? `\n${env.FN_LOGFRAME_NAME}=` : undefined;
  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => {
      const text = format(...args);
      if (logFrame !== undefined && text.startsWith(logFrame)) {
        original[method](...args);
        return;
      }
      if (FDK_FAILURES.some((p) => p.test(text))) logger.error(text, { source: "fdk", consoleMethod: method });
      else if (method === "error") logger.error(text, { source: "console", consoleMethod: method });
      else logger.debug(text, { source: "console", consoleMethod: method });
    };
  }
  return () => {
    for (const method of METHODS) console[method] = original[method];
  };
}
