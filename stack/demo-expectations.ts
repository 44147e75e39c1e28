/**
 * What the demo must see before it may say "it works": each seeded operation's
 * terminal status announced, a STILL_RUNNING warning for each long-running
 * one, and a manifest for each task run that has an output.
 */
import { type AnnouncedState, stateId } from "./announced-states.js";
import type { SeededScenario } from "./demo-scenario.js";
import { taskRunOf } from "./manifest-watch.js";

export interface Expectation {
  readonly id: string;
  readonly kind: "notification" | "export";
  readonly description: string;
}

export interface Progress {
  readonly met: readonly Expectation[];
  readonly missing: readonly Expectation[];
  /** Announced states seen more than once, with their count. */
  readonly duplicates: ReadonlyMap<string, number>;
}

export function expectationsOf(scenario: SeededScenario): Expectation[] {
  const out: Expectation[] = [];
  for (const op of scenario.operations) {
    const status = op.finalStatus ?? "STILL_RUNNING";
    out.push({
      id: `${scenario.platformId}/${op.key}/${status}`,
      kind: "notification",
      description: `${status} notification for ${op.actionType} ${op.resourceName} (${op.key})`,
    });
  }
  for (const run of scenario.jobRuns) {
    for (const t of run.taskRuns) {
      if (!t.hasOutput) continue;
      out.push({ id: `export:${t.key}`, kind: "export", description: `export manifest of task run ${t.name} of ${run.name} (${t.key})` });
    }
  }
  return out;
}

export function progressOf(expected: readonly Expectation[], announced: readonly AnnouncedState[], manifests: readonly string[]): Progress {
  const counts = new Map<string, number>();
  for (const a of announced) counts.set(stateId(a), (counts.get(stateId(a)) ?? 0) + 1);
  const taskRunKeys = expected.filter((e) => e.kind === "export").map((e) => e.id.slice("export:".length));
  const exported = new Set(manifests.map((m) => taskRunOf(m, taskRunKeys)).filter((k): k is string => k !== undefined));
  const isMet = (e: Expectation) => (e.kind === "export" ? exported.has(e.id.slice("export:".length)) : counts.has(e.id));
  return {
    met: expected.filter(isMet),
    missing: expected.filter((e) => !isMet(e)),
    duplicates: new Map([...counts].filter(([, n]) => n > 1)),
  };
}
