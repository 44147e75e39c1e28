/**
 * Configuration from `--env-file`: the AIDP_WATCH_* keys the functions read,
 * as KEY=VALUE lines, merged under the environment (the environment wins), and
 * `--auth` over both. Every command that takes `--env-file` reads it here.
 */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import { UsageError } from "./command-line.js";

/**
 * A dotenv file, parsed by Node's `util.parseEnv` (`#` comments, `export `
 * prefixes, quoted and multi-line values). parseEnv skips a line that is not
 * `KEY=VALUE` (Node 20 even glues it to the next key); a typo there should not
 * silently drop a setting, so such a line is a usage error naming it.
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const vars = z.record(z.string(), z.string()).parse(parseEnv(text));
  let quote: string | undefined; // inside a quoted value that spans lines
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (quote !== undefined) {
      if (line.includes(quote)) quote = undefined;
      return;
    }
    if (line === "" || line.startsWith("#")) return;
    if (!line.includes("=")) throw new UsageError(`${file}:${i + 1}: expected KEY=VALUE`);
    const opened = /^[^=]*=\s*(["'`])(.*)$/.exec(line);
    if (opened && !opened[2]!.includes(opened[1]!)) quote = opened[1];
  });
  return vars;
}

/** The environment a command runs with: `--env-file`'s keys, then `env` over them, then `--auth`. */
export function configEnvironment(
  options: { readonly envFile?: string | undefined; readonly auth?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  let fileVars: Record<string, string> = {};
  if (options.envFile) {
    let text: string;
    try {
      text = readFileSync(options.envFile, "utf8");
    } catch {
      throw new UsageError(`cannot read --env-file ${options.envFile}`);
    }
    fileVars = parseEnvFile(text, options.envFile);
  }
  const merged: Record<string, string | undefined> = { ...fileVars, ...env };
  if (options.auth) merged.AIDP_WATCH_AUTH = options.auth;
  return merged;
}
