import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  /**
   * With `recordModules`, once stopped: `process.moduleLoadList`, every
   * built-in module the process loaded (e.g. "NativeModule internal/deps/undici/undici").
   */
  loadedModules(): readonly string[];
}

export interface FdkFunctionOptions {
  /** Node's arguments (the script). */
  readonly args: readonly string[];
  readonly cwd: string;
  /** FN_FN_NAME, AIDP_WATCH_*, resource-principal variables… */
  readonly env: Record<string, string>;
  /** Preloads a probe (`--require`) that writes the built-in modules loaded when the process is stopped. */
  readonly recordModules?: boolean;
  /** The node binary. @default this process's (process.execPath) */
  readonly node?: string;
}

// Written on SIGTERM (stop()), then the process exits as it would have.
const MODULE_PROBE = `process.once("SIGTERM",()=>{require("node:fs").writeFileSync(process.env.AW_MODULES_OUT,JSON.stringify(process.moduleLoadList));process.exit(143)});`;

export async function startFdkFunction(options: FdkFunctionOptions): Promise<FdkFunction> {
  const dir = mkdtempSync(join(tmpdir(), "aw-fn-")); // short: unix socket paths are limited to ~107 bytes
  const socket = join(dir, "fn.sock");
  const modulesOut = join(dir, "modules.json");
  const probe = join(dir, "probe.cjs");
  if (options.recordModules) writeFileSync(probe, MODULE_PROBE);
  const child = spawn(options.node ?? process.execPath, [...(options.recordModules ? ["--require", probe] : []), ...options.args], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? "",
      FN_FORMAT: "http-stream",
      FN_LISTENER: `unix:${socket}`,
      ...options.env,
      ...(options.recordModules ? { AW_MODULES_OUT: modulesOut } : {}),
    },
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
  let modules: readonly string[] = [];
  void exited.then(() => {
    if (existsSync(modulesOut)) modules = JSON.parse(readFileSync(modulesOut, "utf8")) as string[];
    rmSync(dir, { recursive: true, force: true });
  });
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
  return { socket, child, output: () => output, stop, loadedModules: () => modules };
}
