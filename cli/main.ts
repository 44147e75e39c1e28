#!/usr/bin/env node
import { runCli } from "./registry.js";

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
