import { spawn } from "node:child_process";
import { join } from "node:path";

/** What a CLI process left behind. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, "../..");

/**
 * Runs `aidp-watch <args>` as a real process (node + tsx) with a minimal
 * environment. Asynchronous on purpose: the tests' emulator runs in the test
 * process and must keep answering while the CLI waits on it.
 */
export function runCliProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
