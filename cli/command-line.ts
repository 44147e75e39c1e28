/**
 * The one wrapper around node:util `parseArgs` of every command: strict (an
 * unknown option is an error), `--help`/`-h` always known, and every problem
 * a `UsageError` whose message names it. Values are then validated with zod:
 * `optionsFrom` for a schema keyed by option names, `parseOrUsage` for any other.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { AidpWatchError, describeError } from "../shared/errors/aidp-watch-error.js";

export type OptionSpec = Readonly<
  Record<string, { readonly type: "string" | "boolean"; readonly short?: string; readonly multiple?: boolean }>
>;
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Bad command line: the command prints it (with its usage) and exits 2. */
export class UsageError extends AidpWatchError {}

export function parseCommandLine(
  args: string[],
  options: OptionSpec,
  { positionals = true } = {},
): { values: OptionValues; positionals: string[]; help: boolean } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: positionals,
      strict: true,
    });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals, help: parsed.values.help === true };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : describeError(err));
  }
}

/** Zod-parse with a usage error naming the first problems. */
export function parseOrUsage<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const r = z.safeParse(schema, input);
  if (r.success) return r.data;
  throw new UsageError(r.error.issues.map((i) => i.message).join("; "));
}

/** Option values through a schema keyed by option names; each problem is reported as `--name: message`. */
export function optionsFrom<S extends z.core.$ZodType>(schema: S, values: OptionValues): z.output<S> {
  const r = z.safeParse(schema, values);
  if (r.success) return r.data;
  throw new UsageError(r.error.issues.map((i) => `--${String(i.path[0] ?? "?")}: ${i.message}`).join("; "));
}
