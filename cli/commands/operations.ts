/**
 * `aidp-watch operations get <platformId> <operationKey>` prints the async
 * operation; `aidp-watch operations list <platformId> [--status S]
 * [--resource-type T] [--resource-name N [--prefix]] [--limit L] [--max-items M]`
 * prints every matching operation (all pages) as a JSON array;
 * `aidp-watch operations cancel <platformId> <operationKey>` asks AIDP to
 * cancel it (whether an operation can be canceled depends on its type) and
 * prints the operation as AIDP answers, when it answers with one.
 */
import { z } from "zod";
import { KeySchema, PlatformIdSchema } from "../../shared/aidp/aidp-inputs.js";
import type { CliIo } from "../registry.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { aidpClientFrom, COMMON_OPTIONS, COMMON_USAGE, commonOptionsFrom, runCommand, writeJson } from "../options.js";

const USAGE = [
  "usage: aidp-watch operations get <platformId> <operationKey> [options]",
  "       aidp-watch operations cancel <platformId> <operationKey> [options]",
  "       aidp-watch operations list <platformId> [--status S] [--resource-type T] [--resource-name N [--prefix]] [--limit L] [--max-items M] [options]",
  COMMON_USAGE,
].join("\n");

const LIST_OPTIONS = {
  status: { type: "string" },
  "resource-type": { type: "string" },
  "resource-name": { type: "string" },
  prefix: { type: "boolean" },
  limit: { type: "string" },
  "max-items": { type: "string" },
} as const;

const ListArgsSchema = z.object({
  status: z.string().min(1).optional(),
  resourceType: z.string().min(1).optional(),
  resourceName: z.string().min(1).optional(),
  prefix: z.boolean().optional(),
  limit: z.coerce
    .number({ message: "--limit must be a number" })
    .int()
    .min(1, "--limit must be 1–1000")
    .max(1000, "--limit must be 1–1000")
    .optional(),
  maxItems: z.coerce.number({ message: "--max-items must be a number" }).int().positive("--max-items must be > 0").optional(),
});

export async function runOperations(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, USAGE, async () => {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === "--help" || sub === "-h") {
      if (sub === undefined) throw new UsageError("missing subcommand (get, list or cancel)");
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    if (sub !== "get" && sub !== "list" && sub !== "cancel") throw new UsageError(`unknown subcommand "${sub}" (get, list or cancel)`);
    const { values, positionals, help } = parseCommandLine(rest, sub === "list" ? { ...COMMON_OPTIONS, ...LIST_OPTIONS } : COMMON_OPTIONS);
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    const common = commonOptionsFrom(values);
    if (sub === "get" || sub === "cancel") {
      if (positionals.length !== 2) throw new UsageError(`operations ${sub} takes <platformId> <operationKey>`);
      const [platformId, operationKey] = parseOrUsage(
        z.tuple([PlatformIdSchema, KeySchema], { message: "invalid <platformId> or <operationKey>" }),
        positionals,
      );
      const { client, deadline } = await aidpClientFrom(common);
      const opts = { deadline, requestId: common.requestId };
      if (sub === "get") {
        writeJson(io, (await client.getAsyncOperation(platformId, operationKey, opts)).data);
      } else {
        const res = await client.cancelAsyncOperation(platformId, operationKey, opts);
        writeJson(io, {
          operationKey,
          cancelRequested: true,
          operation: res.data ?? null,
          opcRequestId: res.opcRequestId ?? res.clientRequestId,
        });
      }
      return;
    }
    if (positionals.length !== 1) throw new UsageError("operations list takes <platformId>");
    const platformId = parseOrUsage(PlatformIdSchema, positionals[0]);
    const list = parseOrUsage(ListArgsSchema, {
      status: values.status,
      resourceType: values["resource-type"],
      resourceName: values["resource-name"],
      prefix: values.prefix,
      limit: values.limit,
      maxItems: values["max-items"],
    });
    if (list.prefix && !list.resourceName) throw new UsageError("--prefix needs --resource-name");
    const { client, deadline } = await aidpClientFrom(common);
    const items = await client
      .listAsyncOperations(
        platformId,
        {
          status: list.status,
          resourceType: list.resourceType,
          resourceName: list.resourceName,
          matchResourceName: list.prefix,
          limit: list.limit,
        },
        { deadline, requestId: common.requestId },
      )
      .all(list.maxItems);
    writeJson(io, items);
  });
}
