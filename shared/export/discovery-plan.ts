/**
 * Pure decisions of automatic discovery (no I/O): where to start listing,
 * which job runs and task runs to export, and how far the watermark may move
 * once the exports are done. `discovery.ts` does the I/O around them.
 */
import {
  DISCOVERY_STATE_SCHEMA_VERSION,
  type DiscoveryState,
  NO_OUTPUT_RECORDS_KEPT,
  type OutputNotFoundRecord,
} from "./discovery-state.js";
import { neverRan, type RunPhase, runPhase } from "./run-status.js";

/**
 * Job runs may become visible in the list a little after their `timeCreated`
 * (clock skew between AIDP hosts, list-index lag): each sweep lists from
 * `watermark - margin`, and `done` keeps the ones already handled. @default 15 min
 */
export const DISCOVERY_MARGIN_MS = 15 * 60 * 1000;

export interface JobRunRef {
  readonly key: string;
  readonly timeCreatedMs: number;
  readonly status: string | undefined;
}

export interface TaskRunRef {
  readonly key: string;
  readonly status: string | undefined;
}

/** Lower bound for `timeCreatedGreaterThanOrEqualTo`. */
export function listSinceMs(
  state: DiscoveryState | undefined,
  nowMs: number,
  lookbackHours: number,
  marginMs = DISCOVERY_MARGIN_MS,
): number {
  return state ? state.watermarkMs - marginMs : nowMs - lookbackHours * 3600_000;
}

export interface JobRunPlan {
  /** Finished job runs not yet exported, oldest first. */
  readonly toExport: JobRunRef[];
  /** Job runs still running. */
  readonly running: JobRunRef[];
  /** Job runs with a status we don't know (reported; treated as running). */
  readonly unknownStatus: JobRunRef[];
  /** Job runs listed again that the state says are done. */
  readonly alreadyDone: JobRunRef[];
}

export function planJobRuns(jobRuns: readonly JobRunRef[], state: DiscoveryState | undefined): JobRunPlan {
  const done = new Set(state?.done.map((d) => d.key) ?? []);
  const unique = new Map<string, JobRunRef>();
  for (const j of jobRuns) unique.set(j.key, j);
  const sorted = [...unique.values()].sort((a, b) => a.timeCreatedMs - b.timeCreatedMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const plan: JobRunPlan = { toExport: [], running: [], unknownStatus: [], alreadyDone: [] };
  for (const j of sorted) {
    if (done.has(j.key)) {
      plan.alreadyDone.push(j);
      continue;
    }
    const phase: RunPhase = runPhase(j.status);
    if (phase === "finished") plan.toExport.push(j);
    else if (phase === "running") plan.running.push(j);
    else plan.unknownStatus.push(j);
  }
  return plan;
}

export interface TaskRunPlan {
  /** Finished task runs whose output should be archived. */
  readonly toExport: TaskRunRef[];
  /** Finished task runs that never started (skipped, excluded, upstream failure): nothing to fetch. */
  readonly neverRan: TaskRunRef[];
  /** Task runs not finished, or with an unknown status: the job run is not done yet. */
  readonly notFinished: TaskRunRef[];
}

export function planTaskRuns(taskRuns: readonly TaskRunRef[]): TaskRunPlan {
  const plan: TaskRunPlan = { toExport: [], neverRan: [], notFinished: [] };
  for (const t of taskRuns) {
    if (runPhase(t.status) !== "finished") plan.notFinished.push(t);
    else if (neverRan(t.status)) plan.neverRan.push(t);
    else plan.toExport.push(t);
  }
  return plan;
}

/**
 * The state after a sweep. `listed` is every job run the list returned;
 * `doneNow` the keys of those fully exported by this sweep. The watermark
 * moves to the oldest job run that is not done (so it is listed again next
 * time), or, when all are done, to the newest one listed; it never uses our
 * own clock, so skew between us and AIDP can't skip a job run. `done` keeps
 * only keys that a later list (from `watermark - margin`) can still return.
 */
export function advanceState(input: {
  readonly previous: DiscoveryState | undefined;
  readonly sinceMs: number;
  readonly listed: readonly JobRunRef[];
  readonly doneNow: ReadonlySet<string>;
  readonly nowMs: number;
  readonly marginMs?: number;
  /** Task runs this sweep recorded as having no output (added to the kept records). */
  readonly noOutputNow?: readonly OutputNotFoundRecord[];
  /** Task runs this sweep found 404 inside the grace window (replaces the previous list). */
  readonly awaitingOutputNow?: readonly OutputNotFoundRecord[];
}): DiscoveryState {
  const margin = input.marginMs ?? DISCOVERY_MARGIN_MS;
  const wasDone = new Map((input.previous?.done ?? []).map((d) => [d.key, d.timeCreatedMs] as const));
  const notDone = input.listed.filter((j) => !input.doneNow.has(j.key) && !wasDone.has(j.key));
  const base = input.previous?.watermarkMs ?? input.sinceMs;
  let watermarkMs: number;
  if (notDone.length > 0) {
    watermarkMs = Math.min(...notDone.map((j) => j.timeCreatedMs));
  } else {
    watermarkMs = Math.max(base, ...input.listed.map((j) => j.timeCreatedMs));
  }
  const done = new Map(wasDone);
  for (const j of input.listed) if (input.doneNow.has(j.key)) done.set(j.key, j.timeCreatedMs);
  const keep = [...done]
    .filter(([, t]) => t >= watermarkMs - margin)
    .map(([key, timeCreatedMs]) => ({ key, timeCreatedMs }))
    .sort((a, b) => a.timeCreatedMs - b.timeCreatedMs || (a.key < b.key ? -1 : 1));
  const recorded = new Set((input.noOutputNow ?? []).map((r) => r.taskRunKey));
  const noOutput = [...(input.previous?.noOutput ?? []).filter((r) => !recorded.has(r.taskRunKey)), ...(input.noOutputNow ?? [])].slice(
    -NO_OUTPUT_RECORDS_KEPT,
  );
  return {
    schemaVersion: DISCOVERY_STATE_SCHEMA_VERSION,
    watermarkMs,
    done: keep,
    ...(noOutput.length > 0 ? { noOutput } : {}),
    ...((input.awaitingOutputNow ?? []).length > 0 ? { awaitingOutput: [...(input.awaitingOutputNow ?? [])] } : {}),
    updatedAt: new Date(input.nowMs).toISOString(),
  };
}

/**
 * The workspaces discovery watches, from `AIDP_WATCH_EXPORT_WORKSPACES`
 * (`workspaceKey` = in every platform of `AIDP_WATCH_PLATFORM_IDS`, or
 * `platformOcid/workspaceKey`). Duplicates are dropped.
 */
export function discoveryTargets(
  workspaces: readonly string[],
  platformIds: readonly string[],
): Array<{ platformId: string; workspaceKey: string }> {
  const out = new Map<string, { platformId: string; workspaceKey: string }>();
  for (const entry of workspaces) {
    const slash = entry.indexOf("/");
    const pairs =
      slash === -1
        ? platformIds.map((platformId) => ({ platformId, workspaceKey: entry }))
        : [{ platformId: entry.slice(0, slash), workspaceKey: entry.slice(slash + 1) }];
    for (const p of pairs) out.set(`${p.platformId}\n${p.workspaceKey}`, p);
  }
  return [...out.values()];
}
