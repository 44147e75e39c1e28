/**
 * One function running as its own process under the real FDK, the way Fn runs
 * it: `FN_FORMAT=http-stream`, `FN_LISTENER=unix:<fresh dir>/fn.sock`, the
 * function's configuration as environment variables, nothing else inherited.
 * Readiness is the FDK's socket symlink appearing. A process that dies on its
 * own is restarted (in a fresh socket directory: the FDK crashes on stale
 * socket files); `stop()` terminates it and removes its socket directory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type FdkCallOptions, type FdkResponse, callFdk, waitForSocket } from "./invoker.js";
import type { LogFile } from "./log-file.js";
import { stackFunctionId } from "./stack-config.js";
import { StackError } from "./stack-error.js";

export interface FunctionProcessOptions {
  /** Short name (`poll`); the process gets `FN_FN_NAME=aidp-watch-<name>`. */
  readonly name: string;
  /** The FDK entry (`dist/func.cjs`; it imports its chunks from `chunks/` next to it). */
  readonly entry: string;
  /** Function configuration (AIDP_WATCH_*, resource-principal env…). */
  readonly env: Record<string, string>;
  /** Where per-process socket directories are made; keep it short (unix socket paths max ~107 bytes). */
  readonly socketRoot: string;
  readonly log: LogFile;
  /** Delay before a restart after a crash; doubles on crash loops up to 5 s. @default 100 */
  readonly restartDelayMs?: number;
  /** How long to wait for the socket. @default 15000 */
  readonly startTimeoutMs?: number;
  readonly onEvent?: (event: FunctionProcessEvent) => void;
}

export type FunctionProcessEvent =
  | { type: "ready"; name: string; pid: number; startMs: number }
  | { type: "exited"; name: string; pid: number; code: number | null; signal: NodeJS.Signals | null; expected: boolean }
  | { type: "restart-failed"; name: string; error: string };

/** Children still running when the stack's process exits are killed, so none is left behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const c of live) c.kill("SIGKILL");
  });
}

export class FunctionProcess {
  private child: ChildProcess | undefined;
  private socketDir: string | undefined;
  private readyPromise: Promise<void> | undefined;
  private stopping = false;
  private crashes = 0;
  private lastStart = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private exitPromise: Promise<void> | undefined;
  private failPendingRestart: ((err: unknown) => void) | undefined;
  /** How many times the process was started (1 + restarts). */
  starts = 0;

  constructor(private readonly options: FunctionProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get socketPath(): string | undefined {
    return this.socketDir === undefined ? undefined : join(this.socketDir, "fn.sock");
  }

  /** Starts the process and resolves once its socket is ready. */
  start(): Promise<void> {
    this.stopping = false;
    this.readyPromise = this.spawnOnce();
    return this.readyPromise;
  }

  /** Resolves when the current (or restarting) process is ready to take calls. */
  async ready(): Promise<void> {
    for (;;) {
      if (this.stopping) throw new StackError(`function ${this.name} is stopped`, { context: { function: this.name } });
      const current = this.readyPromise;
      if (current === undefined) throw new StackError(`function ${this.name} was never started`, { context: { function: this.name } });
      try {
        await current;
        return;
      } catch (err) {
        // A restart replaced the promise while we waited: wait for the new one.
        if (this.readyPromise === current) throw err;
      }
    }
  }

  /**
   * Calls the function (waiting for a restart in progress). A call that never
   * reached the function (connection refused: the process just died and its
   * exit is not processed yet) is sent again once the restart is ready; a call
   * that broke midway is not (the function may have done part of its work).
   */
  async invoke(payload: unknown, options: FdkCallOptions = {}): Promise<FdkResponse> {
    for (let attempt = 1; ; attempt++) {
      await this.ready();
      const socket = this.socketPath;
      const exited = this.exitPromise;
      if (socket === undefined) throw new StackError(`function ${this.name} has no socket`, { context: { function: this.name } });
      try {
        return await callFdk(socket, payload, options);
      } catch (err) {
        const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
        if (attempt >= 2 || (code !== "ECONNREFUSED" && code !== "ENOENT")) throw err;
        // Let the exit be noticed (it schedules the restart) before waiting for readiness.
        await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
      }
    }
  }

  /** Sends a signal to the running process (tests use SIGKILL to simulate a crash; it is restarted). */
  kill(signal: NodeJS.Signals = "SIGKILL"): boolean {
    return this.child?.kill(signal) ?? false;
  }

  /** Terminates the process (SIGTERM, then SIGKILL after `graceMs`) and removes its socket directory. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.failPendingRestart?.(new StackError(`function ${this.name} is stopped`, { context: { function: this.name } }));
    this.failPendingRestart = undefined;
    const child = this.child;
    const exited = this.exitPromise;
    if (child && child.exitCode === null && child.signalCode === null && exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    this.child = undefined;
    this.removeSocketDir();
  }

  private removeSocketDir(): void {
    if (this.socketDir !== undefined) rmSync(this.socketDir, { recursive: true, force: true });
    this.socketDir = undefined;
  }

  private async spawnOnce(): Promise<void> {
    const { name, entry, env, socketRoot, log } = this.options;
    this.removeSocketDir();
    const dir = mkdtempSync(join(socketRoot, `${name}-`));
    this.socketDir = dir;
    const socket = join(dir, "fn.sock");
    this.lastStart = Date.now();
    this.starts++;
    const child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        ...env,
        FN_FORMAT: "http-stream",
        FN_LISTENER: `unix:${socket}`,
        FN_APP_NAME: "aidp-watch",
        FN_FN_NAME: `aidp-watch-${name}`,
        FN_APP_ID: "ocid1.fnapp.oc1..aidpwatchlocal",
        FN_FN_ID: stackFunctionId(name),
        FN_MEMORY: "256",
        FN_TYPE: "sync",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a Ctrl-C in the terminal reaches only the stack,
      // which then stops the functions in order (see `stop`).
      detached: true,
    });
    this.child = child;
    trackChild(child);
    const pid = child.pid ?? -1;
    for (const stream of ["stdout", "stderr"] as const) {
      const source = child[stream];
      if (source) createInterface({ input: source }).on("line", (line) => log.functionLine(name, stream, line));
    }
    let spawnError: Error | undefined;
    this.exitPromise = new Promise<void>((resolve) => {
      child.once("error", (err) => {
        spawnError = err;
      });
      child.once("exit", (code, signal) => {
        const expected = this.stopping;
        log.record(expected ? "info" : "warn", expected ? "function process stopped" : "function process exited unexpectedly", {
          function: name,
          pid,
          code: code ?? undefined,
          signal: signal ?? undefined,
        });
        this.options.onEvent?.({ type: "exited", name, pid, code, signal, expected });
        if (this.child === child) rmSync(dir, { recursive: true, force: true });
        resolve();
        if (!expected && this.child === child) this.scheduleRestart();
      });
    });
    log.record("info", "function process started", { function: name, pid, socket });
    const startedAt = Date.now();
    const abort = new AbortController();
    void this.exitPromise.then(() => abort.abort());
    try {
      await waitForSocket(socket, this.options.startTimeoutMs ?? 15_000, abort.signal);
    } catch (err) {
      const reason = spawnError ? spawnError.message : err instanceof Error ? err.message : String(err);
      throw new StackError(`function ${name} did not start: ${reason}`, { cause: err, context: { function: name, pid } });
    }
    this.options.onEvent?.({ type: "ready", name, pid, startMs: Date.now() - startedAt });
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    // A process that lived a while resets the backoff; a crash loop backs off up to 5 s.
    this.crashes = Date.now() - this.lastStart > 10_000 ? 1 : this.crashes + 1;
    const delay = Math.min(5000, (this.options.restartDelayMs ?? 100) * 2 ** (this.crashes - 1));
    let release: () => void = () => {};
    let fail: (err: unknown) => void = () => {};
    const pending = new Promise<void>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    pending.catch(() => {}); // observed through ready()
    this.readyPromise = pending;
    this.failPendingRestart = fail;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.failPendingRestart = undefined;
      this.spawnOnce().then(release, (err: unknown) => {
        this.options.onEvent?.({ type: "restart-failed", name: this.name, error: err instanceof Error ? err.message : String(err) });
        fail(err);
      });
    }, delay);
  }
}
