import { resolve } from "node:path";
import { runDemo } from "../../stack/demo.js";
import { UsageError } from "../command-line.js";
import { type DemoArgs, DEMO_USAGE, functionBundle, parseDemoArgs } from "../stack-args.js";
import type { CliIo } from "../registry.js";

/** `aidp-watch demo` (`npm run demo`): the scenario on a fast clock, exit 0 when everything expected happened. */
export async function runDemoCommand(args: string[], io: CliIo): Promise<number> {
  let a: DemoArgs | "help";
  try {
    a = parseDemoArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`aidp-watch demo: ${err.message}\n${DEMO_USAGE}\n`);
    return 2;
  }
  if (a === "help") {
    io.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  const entry = functionBundle(import.meta.url);
  if (entry === undefined) {
    io.stderr.write("aidp-watch demo: dist/func.cjs not found; run `npm run build` (npm run demo does it for you)\n");
    return 1;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const result = await runDemo({
      entry,
      out: io.stdout,
      speed: a.speed,
      timeoutMs: a.timeout * 1000,
      pollIntervalMs: a["poll-interval"] * 1000,
      port: a.port,
      dataDir: a["data-dir"] === undefined ? undefined : resolve(a["data-dir"]),
      live: !a.quiet,
      colour: "isTTY" in io.stdout && io.stdout.isTTY === true,
      signal: abort.signal,
    });
    return result.ok ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
