/**
 * `aidp-watch track <platformId> <operationKey> [options]`: what the `track`
 * function does for one operation — register it (write-once) and check it
 * once, announcing it at once if it already ended. A CI job can call this
 * right after receiving the `aidp-async-operation-key` header.
 */
import { createTrackHandler } from "../../functions/track/handler.js";
import type { CliIo } from "../registry.js";
import { UsageError } from "../command-line.js";
import { runCommand, writeJson } from "../options.js";
import { prepareWatchRun, WATCH_USAGE } from "./watch-cli.js";

const USAGE = ["usage: aidp-watch track <platformId> <operationKey> [options]", WATCH_USAGE].join("\n");

export async function runTrackCommand(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const run = await prepareWatchRun("track", args, io, (p) => {
      if (p.length !== 2) throw new UsageError("track takes <platformId> <operationKey>");
    });
    if (run === "help") {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    try {
      const [aiDataPlatformId, asyncOperationKey] = run.positionals;
      const result = await createTrackHandler({ services: async () => run.services })(
        { aiDataPlatformId, asyncOperationKey },
        run.invocation,
      );
      writeJson(io, result);
    } finally {
      run.services.close();
    }
  });
}
