/**
 * `aidp-watch start` (`npm start`): the whole system on the embedded emulator,
 * through the real FDK, until Ctrl-C. See stack/stack.ts.
 */
import { resolve } from "node:path";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import { STACK_FUNCTIONS, STACK_PLATFORM_ID, STACK_TOPIC_ID } from "../../stack/stack-config.js";
import { functionBundle, parseStartArgs, type StartArgs, START_USAGE } from "../stack-args.js";
import { startStack } from "../../stack/stack.js";
import { waitForStopSignal } from "../../stack/stop-signal.js";
import { UsageError } from "../command-line.js";
import type { CliIo } from "../registry.js";

export async function runStart(args: string[], io: CliIo, options: { signal?: AbortSignal } = {}): Promise<number> {
  let a: StartArgs | "help";
  try {
    a = parseStartArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`aidp-watch start: ${err.message}\n${START_USAGE}\n`);
    return 2;
  }
  if (a === "help") {
    io.stdout.write(`${START_USAGE}\n`);
    return 0;
  }
  const entry = functionBundle(import.meta.url);
  if (entry === undefined) {
    io.stderr.write("aidp-watch start: dist/func.cjs not found; run `npm run build` (npm start does it for you)\n");
    return 1;
  }
  const colour = "isTTY" in io.stdout && io.stdout.isTTY === true;
  try {
    const stack = await startStack({
      port: a.port,
      dataDir: resolve(a["data-dir"]),
      speed: a.speed,
      seed: !a["no-seed"],
      pollIntervalMs: a["poll-interval"] * 1000,
      allowPollOverlap: a["allow-overlap"],
      shards: a.shards,
      entry,
      out: io.stdout,
      colour,
    });
    const fns = STACK_FUNCTIONS.map((n) => `${n} (pid ${stack.functions.get(n)?.pid ?? "?"})`).join(", ");
    const demo = stack.demo
      ? `${stack.resumed ? "resumed" : "new"} demo platform ${stack.demo.platformId}, started ${new Date(stack.demo.startedAtMs).toISOString()}${stack.demo.speed === 1 ? "" : ` at ${stack.demo.speed}×`}`
      : "no demo data (--no-seed): drive it with the CLI";
    const banner = [
      "aidp-watch local stack — Ctrl-C to stop",
      ...(stack.console ? [`  console        ${stack.console.url}`] : []),
      `  emulator       ${stack.emulator.url}  (admin API: ${stack.emulator.url}/_emulator/health)`,
      `  data folder    ${stack.dataDir}  (${demo})`,
      `  functions      ${fns} under the FDK (node dist/func.cjs, as in the image); poll every ${a["poll-interval"]} s${a.shards > 1 ? `, fanned out to ${a.shards} shards through the invoke endpoint` : ""}`,
      `  email          ${stack.notifications.emailFolder(STACK_TOPIC_ID) ?? "(none)"}`,
      `  slack webhook  ${stack.webhook.url()}`,
      `  function logs  ${stack.logFile}`,
      `  CLI config     ${resolve(stack.dataDir, "credentials", "config")}`,
      ...(stack.demo
        ? []
        : [
            `  add operation  curl -X POST ${stack.emulator.url}/_emulator/aidp/platforms/${STACK_PLATFORM_ID}/asyncOperations \\`,
            `                   -d '{"resourceType":"TABLE","actionType":"CREATE_TABLE","resourceName":"t1","durationMs":20000}'`,
          ]),
      ...(stack.resumed
        ? [`  resumed        ${stack.announced().length} notification(s) already sent, ${stack.manifests().length} export(s) archived`]
        : []),
      "",
    ];
    io.stdout.write(`${banner.join("\n")}\n`);
    const why = await waitForStopSignal(options.signal);
    io.stdout.write(`\nstopping (${why})…\n`);
    await stack.stop();
    io.stdout.write(`stopped; state kept in ${stack.dataDir} (run again to resume)\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`aidp-watch start: ${describeError(err)}\n`);
    return 1;
  }
}
