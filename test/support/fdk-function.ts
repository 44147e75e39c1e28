import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForSocket } from "../../stack/invoker.js";

/**
 * One function process under the real FDK, started the way Fn starts it:
 * `FN_FORMAT=http-stream`, `FN_LISTENER=unix:<fresh dir>/fn.sock`, only PATH
 * inherited besides the given environment. Resolves once the FDK's socket
 * exists; `stop()` terminates it and removes the socket folder.
 */
export interface FdkFunction {
  readonly socket: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface FdkFunctionOptions {
  /** Node's arguments: a script, or `--snapshot-blob <blob>`. */
  readonly args: readonly string[];
  readonly cwd: string;
  /** FN_FN_NAME, AIDP_WATCH_*, resource-principal variables… */
  readonly env: Record<string, string>;
}

export async function startFdkFunction(options: FdkFunctionOptions): Promise<FdkFunction> {
  const dir = mkdtempSync(join(tmpdir(), "aw-fn-")); // short: unix socket paths are limited to ~107 bytes
  const socket = join(dir, "fn.sock");
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", FN_FORMAT: "http-stream", FN_LISTENER: `unix:${socket}`, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (c: Buffer) => {
    output += c.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // A process that dies before listening fails the start at once, with its output.
  const died = new AbortController();
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      died.abort();
      resolve();
    }),
  );
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  try {
    await waitForSocket(socket, 15_000, died.signal);
  } catch (err) {
    await stop();
    throw new Error(`${String(err)}\n${output}`);
  }
  return { socket, child, output: () => output, stop };
}
