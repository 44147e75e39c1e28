import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { announcedStates } from "../../../stack/announced-states.js";
import { expectationsOf, progressOf } from "../../../stack/demo-expectations.js";
import { seedScenario } from "../../../stack/demo-scenario.js";
import { demoStateFile, loadOrCreateDemoState } from "../../../stack/demo-state.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";

const PLATFORM = "ocid1.aidataplatform.oc1.iad.unit";
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

async function freshAidp(): Promise<{ emu: Emulator; aidp: AidpEmulator }> {
  const emu = await startEmulator({ services: [aidpService()] });
  return { emu, aidp: emu.service<AidpEmulator>("aidp") };
}

describe("demo scenario", () => {
  const emulators: Emulator[] = [];
  afterEach(async () => {
    for (const e of emulators.splice(0)) await e.close();
  });

  it("seeds the same keys and times from the same anchor (restart = same operations)", async () => {
    const a = await freshAidp();
    const b = await freshAidp();
    emulators.push(a.emu, b.emu);
    const first = seedScenario(a.aidp, { platformId: PLATFORM, startedAtMs: T0, speed: 20 });
    const again = seedScenario(b.aidp, { platformId: PLATFORM, startedAtMs: T0, speed: 20 });
    expect(again).toEqual(first);
    const c = await freshAidp();
    emulators.push(c.emu);
    const other = seedScenario(c.aidp, { platformId: PLATFORM, startedAtMs: T0 + 1, speed: 20 });
    expect(other.operations[0]!.key).not.toBe(first.operations[0]!.key);
    const op = first.operations[0]!;
    expect(a.aidp.getOperation(PLATFORM, op.key)?.timeStarted).toBe(op.timeStarted);
  });

  it("expects each terminal status, one still-running warning and each output's export", async () => {
    const { emu, aidp } = await freshAidp();
    emulators.push(emu);
    const scenario = seedScenario(aidp, { platformId: PLATFORM, startedAtMs: T0, speed: 20 });
    const expected = expectationsOf(scenario);
    const statuses = expected.filter((e) => e.kind === "notification").map((e) => e.id.split("/").at(-1));
    expect(statuses).toEqual(expect.arrayContaining(["SUCCEEDED", "FAILED", "CANCELED", "STILL_RUNNING"]));
    expect(statuses.filter((s) => s === "STILL_RUNNING")).toHaveLength(1);
    const exports = expected.filter((e) => e.kind === "export");
    const withOutput = scenario.jobRuns.flatMap((j) => j.taskRuns).filter((t) => t.hasOutput);
    expect(exports).toHaveLength(withOutput.length);
    expect(withOutput.length).toBeGreaterThan(0);
  });

  it("measures progress from dedupe keys in messages and manifest names", async () => {
    const { emu, aidp } = await freshAidp();
    emulators.push(emu);
    const scenario = seedScenario(aidp, { platformId: PLATFORM, startedAtMs: T0, speed: 20 });
    const expected = expectationsOf(scenario);
    const note = expected[0]!;
    const text = `SUCCEEDED · CREATE_TABLE · x\nDedupe key:   ${note.id}\n`;
    const states = announcedStates(text, [PLATFORM]);
    const exportOf = expected.find((e) => e.kind === "export")!;
    const taskRun = exportOf.id.slice("export:".length);
    const manifests = [`outputs/${PLATFORM}/ws-demo/${taskRun}/out-1/v1/manifest.json`];
    const p = progressOf(expected, [...states, ...states], manifests);
    expect(p.met.map((e) => e.id)).toEqual([note.id, exportOf.id]);
    expect(p.missing).toHaveLength(expected.length - 2);
    expect(p.duplicates.get(note.id)).toBe(2);
  });
});

describe("announcedStates", () => {
  it("reads text, JSON and digest messages, ignoring other platforms", () => {
    const text = `Dedupe key:   ${PLATFORM}/op-1/FAILED`;
    const json = JSON.stringify({ dedupeKey: `${PLATFORM}/op-2/STILL_RUNNING` });
    const digest = `- ${PLATFORM}/op-3/SUCCEEDED\n- ${PLATFORM}/op-4/CANCELED\n- ocid1.aidataplatform.oc1.iad.other/op-5/FAILED`;
    const found = announcedStates([text, json, digest].join("\n"), [PLATFORM]);
    expect(found.map((s) => `${s.operationKey}/${s.status}`)).toEqual([
      "op-1/FAILED",
      "op-2/STILL_RUNNING",
      "op-3/SUCCEEDED",
      "op-4/CANCELED",
    ]);
  });
});

describe("demo state", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("persists the anchor once and resumes with it (its speed wins)", () => {
    const dir = mkdtempSync(join(tmpdir(), "aidp-demo-state-"));
    dirs.push(dir);
    const first = loadOrCreateDemoState(dir, { platformId: PLATFORM, startedAtMs: T0, speed: 1 });
    expect(first.resumed).toBe(false);
    const second = loadOrCreateDemoState(dir, { platformId: PLATFORM, startedAtMs: T0 + 5000, speed: 20 });
    expect(second).toEqual({ state: first.state, resumed: true });
  });

  it("names the file when it is damaged", () => {
    const dir = mkdtempSync(join(tmpdir(), "aidp-demo-state-"));
    dirs.push(dir);
    writeFileSync(demoStateFile(dir), "{not json");
    expect(() => loadOrCreateDemoState(dir, { platformId: PLATFORM, startedAtMs: T0, speed: 1 })).toThrow(/demo\.json is not valid JSON/);
  });
});
