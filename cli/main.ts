#!/usr/bin/env node
import { bridgeConsole } from "../shared/log/console-bridge.js";
import { createLogger, parseLogLevel } from "../shared/log/logger.js";
import { runCli } from "./registry.js";

// oci-common writes plain-text console warnings for requests it won't retry
// (our expected 404s/412s). Keep stdout pure JSON and stderr to one clear
// line: third-party console output becomes debug records on stderr, shown
// only with AIDP_WATCH_LOG_LEVEL=debug.
bridgeConsole(
  createLogger({ level: parseLogLevel(process.env.AIDP_WATCH_LOG_LEVEL), sink: { write: (line) => process.stderr.write(`${line}\n`) } }),
);

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Last-resort guard: commands report their own errors; this only catches bugs.
    process.stderr.write(`aidp-watch: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
