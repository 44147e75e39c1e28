import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Writes a tiny FDK function (CommonJS, no bundle) into `dir` and returns its
 * path: it answers `{ pid, fnName, callId, deadline, env }`, sleeps when asked
 * (`{ sleepMs }`), exits when asked (`{ exit: code }`), and writes one JSON and
 * one plain line at start, so process supervision can be tested without the
 * real functions.
 */
export function writeTrivialHandler(dir: string): string {
  const fdkPath = resolve("node_modules/@fnproject/fdk");
  const file = join(dir, "trivial-func.cjs");
  writeFileSync(
    file,
    `const fdk = require(${JSON.stringify(fdkPath)});
console.log(JSON.stringify({ level: "info", message: "trivial handler up", function: process.env.FN_FN_NAME }));
console.error("a plain stderr line");
fdk.handle(async (input, ctx) => {
  if (input && input.sleepMs) await new Promise((r) => setTimeout(r, input.sleepMs));
  if (input && typeof input.exit === "number") process.exit(input.exit);
  return {
    pid: process.pid,
    fnName: ctx.fnName,
    callId: ctx.callID,
    deadline: ctx.deadline ? ctx.deadline.toISOString() : null,
    env: { AIDP_WATCH_X: process.env.AIDP_WATCH_X ?? null, PARENT_ONLY: process.env.PARENT_ONLY ?? null, FN_FORMAT: process.env.FN_FORMAT },
  };
});
`,
  );
  return file;
}
