import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_DATA_DIR, DEFAULT_STACK_PORT } from "../stack/stack-config.js";
import { type OptionSpec, optionsFrom, parseCommandLine } from "./command-line.js";

/** Options of `aidp-watch start` and `aidp-watch demo`, validated, and the function bundle they run. */
const StartArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_STACK_PORT),
  "data-dir": z.string().min(1).default(DEFAULT_DATA_DIR),
  speed: z.coerce.number().positive().max(1000).default(1),
  "no-seed": z.boolean().default(false),
  "poll-interval": z.coerce.number().positive().max(3600).default(5),
  "allow-overlap": z.boolean().default(false),
  /** AIDP_WATCH_SHARDS of the functions: above 1, each scheduled poll fans out through the emulator's invoke endpoint. */
  shards: z.coerce.number().int().min(1).max(100).default(1),
});
export type StartArgs = z.infer<typeof StartArgsSchema>;

const DemoArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  "data-dir": z.string().min(1).optional(),
  speed: z.coerce.number().positive().max(1000).default(20),
  "poll-interval": z.coerce.number().positive().max(3600).default(1),
  timeout: z.coerce.number().positive().max(3600).default(60),
  quiet: z.boolean().default(false),
});
export type DemoArgs = z.infer<typeof DemoArgsSchema>;

export const START_USAGE =
  "usage: aidp-watch start [--port P (8642; 0 = any)] [--data-dir D (.aidp-watch)] [--speed N (1)] [--no-seed] [--poll-interval SECONDS (5)] [--allow-overlap] [--shards N (1)]";
export const DEMO_USAGE =
  "usage: aidp-watch demo [--speed N (20)] [--timeout SECONDS (60)] [--poll-interval SECONDS (1)] [--port P (any)] [--data-dir D (temporary)] [--quiet]";

function parseWith<S extends z.ZodType>(args: string[], schema: S, options: OptionSpec): z.output<S> | "help" {
  const { values, help } = parseCommandLine(args, options, { positionals: false });
  return help ? "help" : optionsFrom(schema, values);
}

/** The options, or "help"; a `UsageError` names what is wrong. */
export function parseStartArgs(args: string[]): StartArgs | "help" {
  return parseWith(args, StartArgsSchema, {
    port: { type: "string" },
    "data-dir": { type: "string" },
    speed: { type: "string" },
    "no-seed": { type: "boolean" },
    "poll-interval": { type: "string" },
    "allow-overlap": { type: "boolean" },
    shards: { type: "string" },
  });
}

export function parseDemoArgs(args: string[]): DemoArgs | "help" {
  return parseWith(args, DemoArgsSchema, {
    port: { type: "string" },
    "data-dir": { type: "string" },
    speed: { type: "string" },
    "poll-interval": { type: "string" },
    timeout: { type: "string" },
    quiet: { type: "boolean" },
  });
}

/**
 * The function bundle: next to the running CLI bundle (`dist/cli.js` →
 * `dist/func.cjs`), else `dist/func.cjs` under the working directory (tsx runs).
 */
export function functionBundle(moduleUrl: string): string | undefined {
  const candidates = [join(dirname(fileURLToPath(moduleUrl)), "func.cjs"), resolve("dist", "func.cjs")];
  return candidates.find((c) => existsSync(c));
}
