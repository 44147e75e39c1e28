/**
 * `aidp-watch job-runs get <platformId> <workspaceKey> <jobRunKey>` prints the
 * job run (its state, times and task runs' keys as AIDP returns them), e.g. to
 * look at a job run that export discovery reported as unfinished or failed.
 */
import { z } from "zod";
import { KeySchema, PlatformIdSchema } from "../../shared/aidp/aidp-inputs.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { aidpClientFrom, COMMON_OPTIONS, COMMON_USAGE, commonOptionsFrom, runCommand, writeJson } from "../options.js";
import type { CliIo } from "../registry.js";

const USAGE = ["usage: aidp-watch job-runs get <platformId> <workspaceKey> <jobRunKey> [options]", COMMON_USAGE].join("\n");

export async function runJobRuns(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const [sub, ...rest] = args;
    if (sub === "--help" || sub === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    if (sub !== "get") throw new UsageError(sub === undefined ? "missing subcommand (get)" : `unknown subcommand "${sub}" (get)`);
    const { values, positionals, help } = parseCommandLine(rest, COMMON_OPTIONS);
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    const common = commonOptionsFrom(values);
    if (positionals.length !== 3) throw new UsageError("job-runs get takes <platformId> <workspaceKey> <jobRunKey>");
    const [platformId, workspaceKey, jobRunKey] = parseOrUsage(z.tuple([PlatformIdSchema, KeySchema, KeySchema]), positionals);
    const { client, deadline } = await aidpClientFrom(common);
    const res = await client.getJobRun(platformId, workspaceKey, jobRunKey, { deadline, requestId: common.requestId });
    writeJson(io, res.data);
  });
}
