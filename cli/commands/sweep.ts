import { createPollHandler } from "../../functions/poll/handler.js";
import type { CliIo } from "../registry.js";
import { runCommand, UsageError, writeJson } from "../options.js";
import { prepareWatchRun, WATCH_USAGE } from "./watch-cli.js";

/**
 * `aidp-watch sweep [options]`: one pass of the `poll` function — the same
 * handler, configuration keys and state — against real OCI (config-file auth)
 * or the emulator (endpoint overrides in the configuration). Prints the sweep
 * summary; exits 1 when the summary counts failures.
 */
const USAGE = ["usage: aidp-watch sweep [options]", WATCH_USAGE].join("\n");

export async function runSweepCommand(args: string[], io: CliIo): Promise<number> {
  let failed = false;
  const code = await runCommand(io, USAGE, async () => {
    const run = await prepareWatchRun("poll", args, io, (p) => {
      if (p.length > 0) throw new UsageError(`sweep takes no arguments (got ${p.join(" ")})`);
    });
    if (run === "help") {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    try {
      const summary = await createPollHandler({ services: async () => run.services })({}, run.invocation);
      writeJson(io, summary);
      failed = Number((summary as { failed?: number }).failed ?? 0) > 0;
    } finally {
      run.services.close();
    }
  });
  return code === 0 && failed ? 1 : code;
}
