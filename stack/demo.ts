/**
 * `npm run demo`: the `npm start` scenario at `speed`×, ending by itself —
 * exit 0 with a summary once every expected notification and export has
 * happened, non-zero naming what is missing after `timeoutMs`. Without a data
 * folder it runs in a fresh temporary one (removed afterwards), so it is
 * reproducible; CI runs it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { describeError } from "../shared/errors/aidp-watch-error.js";
import { type Expectation, expectationsOf, type Progress, progressOf } from "./demo-expectations.js";
import { type Stack, startStack } from "./stack.js";

export interface DemoOptions {
  readonly entry: string;
  readonly out: Writable;
  /** @default 20 */
  readonly speed?: number;
  /** @default 60000 */
  readonly timeoutMs?: number;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
  /** @default a temporary folder, removed at the end */
  readonly dataDir?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  readonly colour?: boolean;
  /** Show the live event lines. @default true */
  readonly live?: boolean;
  /** Called once the stack runs (tests kill processes through it). */
  readonly onStarted?: (stack: Stack) => void;
  readonly signal?: AbortSignal;
}

export interface DemoResult {
  readonly ok: boolean;
  readonly elapsedMs: number;
  readonly progress: Progress;
  readonly summary: string;
}

function describeMissing(missing: readonly Expectation[]): string {
  return missing.map((e) => `  - ${e.description}`).join("\n");
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const speed = options.speed ?? 20;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "aidp-watch-demo-"));
  const out = options.out;
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      port: options.port ?? 0,
      dataDir,
      speed,
      seed: true,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      entry: options.entry,
      out: options.live === false ? undefined : out,
      colour: options.colour ?? false,
      // The demo is watched in the terminal and exits: no console page.
      consolePort: false,
      // A temporary data folder vanishes with the run: keep the log where it can be read.
      logFile: temporary ? join(tmpdir(), `aidp-watch-demo-${process.pid}.jsonl`) : undefined,
    });
    const running = stack;
    options.onStarted?.(running);
    const expected = expectationsOf(running.scenario!);
    out.write(
      `aidp-watch demo: ${expected.length} things to see at ${speed}× speed (timeout ${Math.round(timeoutMs / 1000)} s); function logs: ${running.logFile}\n`,
    );
    let progress = progressOf(expected, running.announced(), running.manifests());
    while (progress.missing.length > 0 && Date.now() - started < timeoutMs && !options.signal?.aborted) {
      await new Promise((r) => setTimeout(r, 200));
      progress = progressOf(expected, running.announced(), running.manifests());
    }
    // Let Slack deliveries in flight land before counting them.
    await running.notifications.flushDeliveries();
    const elapsedMs = Date.now() - started;
    const messages = running.notifications.messages().length;
    const slack = running.webhook.payloads().length;
    const notified = progress.met.filter((e) => e.kind === "notification").length;
    const exported = progress.met.filter((e) => e.kind === "export").length;
    const dupes = [...progress.duplicates].map(([id, n]) => `${id} ×${n}`);
    const ok = progress.missing.length === 0;
    const head = ok ? `demo passed in ${(elapsedMs / 1000).toFixed(1)} s` : `demo FAILED after ${(elapsedMs / 1000).toFixed(1)} s`;
    const lines = [
      "",
      `${head}: ${notified} notifications as expected (${messages} ONS messages → ${messages} emails, ${slack} Slack payloads), ${exported} exports archived, ${running.counters().polls} polls`,
      dupes.length > 0 ? `duplicate announcements: ${dupes.join(", ")}` : "no duplicate announcements",
      ok ? "" : `missing:\n${describeMissing(progress.missing)}`,
      `function logs: ${running.logFile}`,
    ].filter((l) => l !== "");
    const summary = lines.join("\n");
    out.write(`${summary}\n`);
    return { ok, elapsedMs, progress, summary };
  } catch (err) {
    const summary = `demo FAILED: ${describeError(err)}`;
    out.write(`${summary}\n`);
    return { ok: false, elapsedMs: Date.now() - started, progress: { met: [], missing: [], duplicates: new Map() }, summary };
  } finally {
    await stack?.stop();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  }
}
