/**
 * The demo scenario's anchor, kept in the data folder: the AIDP emulator is in
 * memory, so a restarted stack re-seeds the same operations (same keys, same
 * times relative to `startedAtMs`) and the watcher's state — which persists in
 * the state bucket — finds what it already announced instead of announcing it
 * again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { StackError } from "./stack-error.js";

export const DemoStateSchema = z.object({
  version: z.literal(1),
  platformId: z.string().min(1),
  startedAtMs: z.number().int().positive(),
  speed: z.number().positive(),
});
export type DemoState = z.infer<typeof DemoStateSchema>;

export function demoStateFile(dataDir: string): string {
  return join(dataDir, "demo.json");
}

export function readDemoState(dataDir: string): DemoState | undefined {
  const file = demoStateFile(dataDir);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new StackError(`${file} is not valid JSON; delete it (or the data folder) to start the demo afresh`, {
      cause: err,
      context: { file },
    });
  }
  const parsed = DemoStateSchema.safeParse(raw);
  if (!parsed.success) throw new StackError(`${file} is not a demo state file: ${z.prettifyError(parsed.error)}`, { context: { file } });
  return parsed.data;
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  const file = demoStateFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

/** The persisted state when there is one (its speed wins: times must stay the same), else a new one, saved. */
export function loadOrCreateDemoState(dataDir: string, fresh: Omit<DemoState, "version">): { state: DemoState; resumed: boolean } {
  const existing = readDemoState(dataDir);
  if (existing && existing.platformId === fresh.platformId) return { state: existing, resumed: true };
  const state: DemoState = { version: 1, ...fresh };
  writeDemoState(dataDir, state);
  return { state, resumed: false };
}
