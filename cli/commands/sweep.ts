import { createPollHandler } from "../../functions/poll/handler.js";
import type { CliIo } from "../registry.js";
import { runCommand, UsageError, writeJson } from "../options.js";
import { prepareWatchRun, WATCH_USAGE } from "./watch-cli.js";

/**
 * `aidp-watch sweep [--once] [options]`: what the `poll` function does — the
 * same handler, configuration keys and state — against real OCI (config-file
 * auth) or the emulator (endpoint overrides in the configuration): sweeps, and
 * while operations are in progress sweeps again every
 * AIDP_WATCH_SWEEP_INTERVAL_SECONDS for up to `--timeout` seconds; `--once`
 * makes a single pass. Prints the summary (sweeps, calls per service…);
 * exits 1 when it counts failures.
 */
const USAGE = [
  "usage: aidp-watch sweep [--once] [options]",
  "  keeps sweeping every AIDP_WATCH_SWEEP_INTERVAL_SECONDS (default 10) while operations are in progress,",
  "  for up to --timeout seconds; stops after one sweep when nothing is in progress",
  "  --once              a single pass",
  WATCH_USAGE,
].join("\n");

export async function runSweepCommand(args: string[], io: CliIo): Promise<number> {
  let failed = false;
  const code = await runCommand(io, USAGE, async () => {
    const run = await prepareWatchRun("poll", args, io, (p) => {
      if (p.length > 0) throw new UsageError(`sweep takes no arguments (got ${p.join(" ")})`);
    }, process.env, ["once"]);
    if (run === "help") {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    try {
      const summary = await createPollHandler({ services: async () => run.services, once: run.flags.has("once") })({}, run.invocation);
      writeJson(io, summary);
      failed = Number((summary as { failed?: number }).failed ?? 0) > 0;
    } finally {
      run.services.close();
    }
  });
  return code === 0 && failed ? 1 : code;
}
