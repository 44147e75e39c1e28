/**
 * `aidp-watch task-runs output <platformId> <workspaceKey> <taskRunKey>
 * [--output-key K]` prints the task run's output (TaskRunOutput JSON, payloads
 * as the service sent them; `aidp-watch decode` turns them into files).
 */
import { z } from "zod";
import { KeySchema, PlatformIdSchema } from "../../shared/aidp/aidp-inputs.js";
import type { CliIo } from "../registry.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { aidpClientFrom, COMMON_OPTIONS, COMMON_USAGE, commonOptionsFrom, runCommand, writeJson } from "../options.js";

const USAGE = ["usage: aidp-watch task-runs output <platformId> <workspaceKey> <taskRunKey> [--output-key K] [options]", COMMON_USAGE].join(
  "\n",
);

export async function runTaskRuns(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const [sub, ...rest] = args;
    if (sub === "--help" || sub === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    if (sub !== "output") throw new UsageError(sub === undefined ? "missing subcommand (output)" : `unknown subcommand "${sub}" (output)`);
    const { values, positionals, help } = parseCommandLine(rest, { ...COMMON_OPTIONS, "output-key": { type: "string" } });
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    const common = commonOptionsFrom(values);
    if (positionals.length !== 3) throw new UsageError("task-runs output takes <platformId> <workspaceKey> <taskRunKey>");
    const [platformId, workspaceKey, taskRunKey] = parseOrUsage(z.tuple([PlatformIdSchema, KeySchema, KeySchema]), positionals);
    const outputKey = parseOrUsage(z.string().min(1).max(100, "--output-key: at most 100 characters").optional(), values["output-key"]);
    const { client, deadline } = await aidpClientFrom(common);
    const res = await client.fetchOutput(platformId, workspaceKey, taskRunKey, outputKey === undefined ? {} : { outputKey }, {
      deadline,
      requestId: common.requestId,
    });
    writeJson(io, res.data);
  });
}
