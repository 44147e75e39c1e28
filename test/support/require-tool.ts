import { spawnSync } from "node:child_process";

/**
 * Test fixtures are made by the real tools (gzip, bzip2, compress, iconv,
 * python3) at test time. A missing tool must fail loudly with the fix, never
 * skip silently: CI has them all.
 */
const PACKAGES: Record<string, string> = {
  gzip: "gzip",
  bzip2: "bzip2",
  compress: "ncompress",
  iconv: "libc-bin",
  python3: "python3",
};

const checked = new Set<string>();

export function requireTool(name: string): void {
  if (checked.has(name)) return;
  const probe = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (probe.status !== 0 || !probe.stdout.trim()) {
    throw new Error(
      `required tool "${name}" is not on PATH; install it (Debian: apt-get install ${PACKAGES[name] ?? name}) to run these tests`,
    );
  }
  checked.add(name);
}

/**
 * Runs `cmd args` with `input` on stdin and returns stdout. `okStatuses` lists
 * acceptable exit codes (ncompress exits 2 when the output is not smaller).
 */
export function runTool(cmd: string, args: string[], input: Uint8Array, okStatuses: number[] = [0]): Buffer {
  requireTool(cmd);
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status === null || !okStatuses.includes(r.status)) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}: ${r.stderr.toString().trim()}`);
  }
  return r.stdout;
}
