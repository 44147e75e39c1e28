/**
 * What is archived for one task run, read back from the output bucket: one
 * entry per output key that has a `current.json`. Discovery uses it to skip
 * task runs already exported; the sweep can use it to link a terminal-state
 * notification to the archived manifest(s).
 */
import { earlierAttemptOutputKeys, type TaskRun } from "../aidp/workflow-schema.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import { CURRENT_FILE, type RunIds, taskRunPrefix } from "./archive-layout.js";
import { parsePointer } from "./current-pointer.js";

export interface ArchivedOutput {
  readonly bucket: string;
  /** Object name of the output's `current.json`. */
  readonly current: string;
  /** Object name of the current version's manifest (`undefined` when the pointer does not parse). */
  readonly manifest: string | undefined;
  readonly version: number | null | undefined;
}

/** Names of every `current.json` under the task run's folder (one per output key). */
export async function currentPointerNames(store: ObjectStore, prefix: string, ids: RunIds, deadline: Deadline): Promise<string[]> {
  const folder = taskRunPrefix(prefix, ids);
  const names: string[] = [];
  for await (const name of store.list(folder, { deadline })) {
    const rest = name.slice(folder.length);
    // `<outputKey>/current.json`: exactly one segment before the file name.
    if (rest.endsWith(`/${CURRENT_FILE}`) && rest.indexOf("/") === rest.length - CURRENT_FILE.length - 1) names.push(name);
  }
  return names;
}

export async function isTaskRunArchived(store: ObjectStore, prefix: string, ids: RunIds, deadline: Deadline): Promise<boolean> {
  return (await currentPointerNames(store, prefix, ids, deadline)).length > 0;
}

/**
 * Whether every attempt of the task run is archived: a `current.json` for its
 * current output key and for each earlier attempt's (`retries[]`). An export
 * writes the earlier attempts first and the current one last, but one cut
 * short leaves some pointers behind: this tells such a task run from a
 * finished one. With no output key named, any pointer counts (as before).
 */
export async function allAttemptsArchived(
  store: ObjectStore,
  prefix: string,
  ids: RunIds,
  taskRun: TaskRun,
  deadline: Deadline,
): Promise<boolean> {
  const folder = taskRunPrefix(prefix, ids);
  const names = await currentPointerNames(store, prefix, ids, deadline);
  if (names.length === 0) return false;
  const archived = new Set(names.map((n) => n.slice(folder.length, -(CURRENT_FILE.length + 1))));
  const expected = [...(taskRun.outputKey === undefined ? [] : [taskRun.outputKey]), ...earlierAttemptOutputKeys(taskRun)];
  return expected.every((k) => archived.has(k));
}

export async function archivedOutputs(store: ObjectStore, prefix: string, ids: RunIds, deadline: Deadline): Promise<ArchivedOutput[]> {
  const out: ArchivedOutput[] = [];
  for (const current of await currentPointerNames(store, prefix, ids, deadline)) {
    const obj = await store.get(current, { deadline });
    if (!obj) continue;
    const pointer = parsePointer(obj.body);
    out.push({ bucket: store.bucket, current, manifest: pointer?.manifest, version: pointer?.version });
  }
  return out;
}
