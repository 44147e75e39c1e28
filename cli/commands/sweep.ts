/**
 * `aidp-watch sweep [--once] [--shard i/n] [options]`: what the `poll`
 * function does — the same handler, configuration keys and state — against
 * real OCI (config-file auth) or the emulator (endpoint overrides in the
 * configuration): sweeps, and while operations are in progress sweeps again
 * every AIDP_WATCH_SWEEP_INTERVAL_SECONDS for up to `--timeout` seconds;
 * `--once` makes a single pass. `--shard i/n` sweeps only the platforms of
 * shard i of n (0-based, by a stable hash of the OCID: shared/watch/shard.ts),
 * exactly as a fanned-out `poll` call with `{"shard": i, "of": n}` does;
 * without it every platform is swept here (the CLI never fans out). Prints the
 * summary (sweeps, calls per service…); exits 1 when it counts failures.
 */
import { createPollHandler } from "../../functions/poll/handler.js";
import { parseShard, type Shard, ShardError } from "../../shared/watch/shard.js";
import { UsageError } from "../command-line.js";
import { runCommand, writeJson } from "../options.js";
import type { CliIo } from "../registry.js";
import { prepareWatchRun, WATCH_USAGE } from "./watch-cli.js";

const USAGE = [
  "usage: aidp-watch sweep [--once] [--shard i/n] [options]",
  "  keeps sweeping every AIDP_WATCH_SWEEP_INTERVAL_SECONDS (default 10) while operations are in progress,",
  "  for up to --timeout seconds; stops after one sweep when nothing is in progress",
  "  --once              a single pass",
  "  --shard i/n         sweep only shard i of n (0 ≤ i < n ≤ 100); shards are disjoint and together cover every platform",
  WATCH_USAGE,
].join("\n");

/** Takes `--shard i/n` / `--shard=i/n` out of the arguments (the other options are the shared watch options). */
export function takeShardOption(args: readonly string[]): { shard: Shard | undefined; rest: string[] } {
  const rest: string[] = [];
  let text: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--shard" || a.startsWith("--shard=")) {
      if (text !== undefined) throw new UsageError("--shard given twice");
      text = a === "--shard" ? args[++i] : a.slice("--shard=".length);
      if (text === undefined) throw new UsageError("--shard needs a value like 0/4");
    } else {
      rest.push(a);
    }
  }
  if (text === undefined) return { shard: undefined, rest };
  try {
    return { shard: parseShard(text), rest };
  } catch (err) {
    if (err instanceof ShardError) throw new UsageError(`--shard: ${err.message}`);
    throw err;
  }
}

export async function runSweepCommand(args: string[], io: CliIo): Promise<number> {
  let failed = false;
  const code = await runCommand(io, USAGE, async () => {
    const { shard, rest } = takeShardOption(args);
    const run = await prepareWatchRun(
      "poll",
      rest,
      io,
      (p) => {
        if (p.length > 0) throw new UsageError(`sweep takes no arguments (got ${p.join(" ")})`);
      },
      process.env,
      ["once"],
    );
    if (run === "help") {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    try {
      const input = shard ? { shard: shard.index, of: shard.of } : {};
      const summary = await createPollHandler({ services: async () => run.services, once: run.flags.has("once") })(input, run.invocation);
      writeJson(io, summary);
      failed = Number((summary as { failed?: number }).failed ?? 0) > 0;
    } finally {
      run.services.close();
    }
  });
  return code === 0 && failed ? 1 : code;
}
