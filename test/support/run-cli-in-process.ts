/**
 * Runs `aidp-watch <args>` in the test process (cli/registry.ts `runCli`) with
 * empty stdin and stdout/stderr captured as text: the in-process counterpart
 * of run-cli-process.ts, for tests whose emulator answers in this process too.
 */
import { PassThrough, Readable } from "node:stream";
import { runCli } from "../../cli/registry.js";

export async function runCliCaptured(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (c: Buffer) => (stdout += c.toString()));
  err.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await runCli(args, { stdin: Readable.from([]), stdout: out, stderr: err });
  return { code, stdout, stderr };
}
