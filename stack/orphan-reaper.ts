/**
 * Function processes run in their own process group (so a terminal Ctrl-C
 * reaches only the stack, which stops them in order). If the stack itself is
 * killed hard (SIGKILL, a closed terminal), they would outlive it: the stack
 * keeps their pids in `<dataDir>/run/functions.json`, and the next start ends
 * those that are still our function processes (checked via /proc on Linux;
 * elsewhere a pid is only signalled when its command line can be confirmed).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

const RecordSchema = z.array(z.object({ pid: z.number().int().positive(), entry: z.string(), socketDir: z.string() }));
export type RunningFunction = z.infer<typeof RecordSchema>[number];

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

export function recordRunning(file: string, running: readonly RunningFunction[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(running));
}

/** Ends function processes left by a stack that did not stop cleanly; returns the pids ended. */
export function reapOrphans(file: string): number[] {
  if (!existsSync(file)) return [];
  let records: RunningFunction[] = [];
  try {
    records = RecordSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    // unreadable: nothing we can safely act on
  }
  const ended: number[] = [];
  for (const r of records) {
    const cmd = commandLine(r.pid);
    if (cmd?.includes(r.entry)) {
      try {
        process.kill(r.pid, "SIGKILL");
        ended.push(r.pid);
      } catch {
        // already gone
      }
    }
    rmSync(r.socketDir, { recursive: true, force: true });
    // The per-run socket root, once empty.
    try {
      rmdirSync(dirname(r.socketDir));
    } catch {
      // not empty or already gone
    }
  }
  rmSync(file, { force: true });
  return ended;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is not ours to signal.
    return typeof err === "object" && err !== null && "code" in err && err.code === "EPERM";
  }
}

/**
 * Claims the data folder for this process (`<dataDir>/run/stack.pid`). Returns
 * the pid of another live stack that holds it, or undefined once claimed.
 */
export function claimDataDir(file: string): number | undefined {
  if (existsSync(file)) {
    const other = Number.parseInt(readFileSync(file, "utf8"), 10);
    if (Number.isInteger(other) && other > 0 && other !== process.pid && alive(other)) return other;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, String(process.pid));
  return undefined;
}

export function releaseDataDir(file: string): void {
  try {
    if (Number.parseInt(readFileSync(file, "utf8"), 10) === process.pid) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}
