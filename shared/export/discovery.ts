/**
 * Automatic discovery (called by the sweep): for every workspace in
 * `AIDP_WATCH_EXPORT_WORKSPACES`, list the job runs created since the stored
 * watermark (minus a margin), and for each finished one export the output of
 * each of its finished task runs that is not archived yet. The watermark
 * (`discovery-plan.ts`) only moves past job runs whose every task run is
 * archived (or never ran / has no output), so an unfinished job run, an
 * unknown status or a failed export is looked at again next sweep: a finished
 * task run whose output is not archived is never forgotten.
 *
 * Work stops at the deadline; what was not reached stays behind the
 * watermark. Workspaces are independent: one failing doesn't stop the others.
 */
import type { AidpClient } from "../aidp/aidp-client.js";
import type { JobRunSummary } from "../aidp/workflow-schema.js";
import type { Config } from "../config/config-schema.js";
import { describeError } from "../errors/aidp-watch-error.js";
import type { Logger } from "../log/logger.js";
import type { ArchivedManifestRef, JobRunNotice, TaskRunNotice } from "../notify/render-job-run.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { allAttemptsArchived, archivedOutputs, isTaskRunArchived } from "./archive-lookup.js";
import { VIEWER_FILE } from "../viewer/viewer-page.js";
import { watermarkObjectName } from "./archive-layout.js";
import { advanceState, discoveryTargets, type JobRunRef, listSinceMs, planJobRuns, planTaskRuns } from "./discovery-plan.js";
import { type DiscoveryState, type OutputNotFoundRecord, parseDiscoveryState, serializeDiscoveryState } from "./discovery-state.js";
import { type ExportAidp, exportTaskRun } from "./export-task-run.js";
import { exportSettings } from "./export-settings.js";
import { runPhase } from "./run-status.js";

export type DiscoveryAidp = ExportAidp & Pick<AidpClient, "listJobRuns" | "listTaskRuns">;

export interface DiscoveryDeps {
  readonly aidp: DiscoveryAidp;
  /** `AIDP_WATCH_OUTPUT_BUCKET`. */
  readonly outputStore: ObjectStore;
  /** `AIDP_WATCH_STATE_BUCKET` (holds the watermarks). */
  readonly stateStore: ObjectStore;
  /**
   * When set (a topic is configured), each job run found finished and fully
   * archived is announced once, with its task runs' archived manifests, before
   * it counts as done: a job run whose announcement did not go out ("busy",
   * "failed") holds the watermark and is announced next sweep.
   */
  readonly jobRunAnnouncer?: {
    announce(notice: JobRunNotice, deadlines: { work: Deadline; hard: Deadline }): Promise<"published" | "already" | "busy" | "failed">;
  };
  /** Object Storage namespace of the output bucket, for `oci://` manifest references. */
  readonly outputNamespace?: string | undefined;
  /** AIDP_WATCH_VIEWER_LINK_HOURS: job-run notifications link each output's viewer for this long. @default none */
  readonly viewerLinkHours?: number | undefined;
}

/** The parts of an `Invocation` discovery uses (an `Invocation` fits). */
export interface DiscoveryInvocation {
  readonly workDeadline: Deadline;
  /** Bounds saving the watermark after work stopped. @default workDeadline */
  readonly hardDeadline?: Deadline;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface TaskRunFailure {
  readonly jobRunKey: string;
  readonly taskRunKey?: string;
  readonly error: string;
}

export interface WorkspaceReport {
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly jobRunsListed: number;
  readonly jobRunsDone: number;
  /** Job-run terminal states announced by this sweep (only with a topic). */
  readonly jobRunsAnnounced: number;
  /** Job runs fully archived whose announcement did not go out (retried next sweep; they hold the watermark). */
  readonly jobRunAnnouncementsPending: number;
  readonly taskRunsExported: number;
  readonly taskRunsAlreadyArchived: number;
  readonly taskRunsWithoutOutput: number;
  /** Finished task runs whose fetchOutput answered 404 inside the grace window: asked again next sweep (they hold their job run). */
  readonly taskRunsAwaitingOutput: number;
  /** Job runs not finished yet (they hold the watermark). */
  readonly jobRunsRunning: number;
  /** Job runs / task runs with a status aidp-watch doesn't know (treated as running; add it to run-status.ts). */
  readonly unknownStatuses: ReadonlyArray<{ key: string; status: string | null }>;
  readonly failures: readonly TaskRunFailure[];
  /** RFC 3339 watermark after this sweep. */
  readonly watermark: string | null;
  /** False when another sweep saved first (its progress is kept; ours is redone next time, cheaply) or saving failed. */
  readonly stateSaved: boolean;
  readonly stoppedByDeadline: boolean;
  /** Set when the workspace could not be processed at all. */
  readonly error?: string;
}

export interface DiscoveryReport {
  readonly workspaces: WorkspaceReport[];
}

function timeMs(value: string | number | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string") {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

function jobRunRef(j: JobRunSummary, fallbackMs: number): JobRunRef {
  return { key: j.key, timeCreatedMs: timeMs(j.timeCreated) ?? j.startTime ?? fallbackMs, status: j.state?.status };
}

function isoOf(ms: number | undefined): string | undefined {
  return ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * A read-only link to the viewer beside `manifest`, made just before the
 * notification goes out (so its lifetime counts from the message), when
 * `viewerLinkHours` is set. A link that can't be made is said in the message;
 * it never holds the announcement back.
 */
async function viewerLink(
  deps: DiscoveryDeps,
  inv: Pick<DiscoveryInvocation, "logger" | "clock">,
  manifest: string,
  deadline: Deadline,
): Promise<Pick<ArchivedManifestRef, "viewerUrl" | "viewerLinkError">> {
  if (deps.viewerLinkHours === undefined) return {};
  if (deps.outputStore.createReadLink === undefined) return { viewerLinkError: "this store cannot make links" };
  const viewer = manifest.replace(/manifest\.json$/, VIEWER_FILE);
  try {
    const expiresAt = new Date(inv.clock.now() + deps.viewerLinkHours * 3_600_000);
    return { viewerUrl: await deps.outputStore.createReadLink(viewer, { expiresAt, deadline }) };
  } catch (err) {
    inv.logger.warn("could not create the viewer link; the notification names the manifest only", { error: err, object: viewer });
    return { viewerLinkError: describeError(err) };
  }
}

/** Each task run with its archived manifests, in AIDP's order; a failed read-back is reported, not thrown. */
async function taskRunNotices(
  deps: DiscoveryDeps,
  inv: Pick<DiscoveryInvocation, "logger" | "clock">,
  prefix: string,
  where: { platformId: string; workspaceKey: string },
  taskRuns: ReadonlyArray<{ key: string; name?: string | undefined; state?: { status?: string | undefined } | undefined }>,
  archivable: ReadonlySet<string>,
  deadline: Deadline,
): Promise<TaskRunNotice[]> {
  const out: TaskRunNotice[] = [];
  for (const t of taskRuns) {
    const base = { key: t.key, name: t.name, status: t.state?.status };
    if (!archivable.has(t.key)) {
      out.push({ ...base, manifests: [] });
      continue;
    }
    try {
      const outputs = await archivedOutputs(deps.outputStore, prefix, { ...where, taskRunKey: t.key }, deadline);
      const manifests: ArchivedManifestRef[] = [];
      for (const o of outputs) {
        if (o.manifest)
          manifests.push({
            bucket: o.bucket,
            object: o.manifest,
            namespace: deps.outputNamespace,
            ...(await viewerLink(deps, inv, o.manifest, deadline)),
          });
      }
      out.push({ ...base, manifests });
    } catch (err) {
      out.push({ ...base, manifests: [], error: `archive could not be read back: ${describeError(err)}` });
    }
  }
  return out;
}

export async function runExportDiscovery(deps: DiscoveryDeps, config: Config, invocation: DiscoveryInvocation): Promise<DiscoveryReport> {
  const targets = discoveryTargets(config.AIDP_WATCH_EXPORT_WORKSPACES, config.AIDP_WATCH_PLATFORM_IDS);
  const workspaces: WorkspaceReport[] = [];
  for (const t of targets) {
    if (invocation.workDeadline.expired) break;
    try {
      workspaces.push(await discoverWorkspace(deps, config, invocation, t.platformId, t.workspaceKey));
    } catch (err) {
      invocation.logger.warn("export discovery failed for a workspace", {
        platformId: t.platformId,
        workspaceKey: t.workspaceKey,
        error: err,
      });
      workspaces.push({
        platformId: t.platformId,
        workspaceKey: t.workspaceKey,
        jobRunsListed: 0,
        jobRunsDone: 0,
        jobRunsAnnounced: 0,
        jobRunAnnouncementsPending: 0,
        taskRunsExported: 0,
        taskRunsAlreadyArchived: 0,
        taskRunsWithoutOutput: 0,
        taskRunsAwaitingOutput: 0,
        jobRunsRunning: 0,
        unknownStatuses: [],
        failures: [],
        watermark: null,
        stateSaved: false,
        stoppedByDeadline: false,
        error: describeError(err),
      });
    }
  }
  return { workspaces };
}

async function discoverWorkspace(
  deps: DiscoveryDeps,
  config: Config,
  invocation: DiscoveryInvocation,
  platformId: string,
  workspaceKey: string,
): Promise<WorkspaceReport> {
  const deadline = invocation.workDeadline;
  const { clock } = invocation;
  const logger = invocation.logger.child({ platformId, workspaceKey, step: "export-discovery" });
  const settings = exportSettings(config);
  const stateName = watermarkObjectName(config.AIDP_WATCH_STATE_PREFIX, platformId, workspaceKey);

  const stored = await deps.stateStore.get(stateName, { deadline });
  let previous: DiscoveryState | undefined;
  if (stored) {
    previous = parseDiscoveryState(stored.body);
    if (!previous) logger.warn("discovery state does not parse; starting again from the lookback window", { object: stateName });
  }
  const sinceMs = listSinceMs(previous, clock.now(), config.AIDP_WATCH_EXPORT_LOOKBACK_HOURS);
  const summaries = await deps.aidp
    .listJobRuns(platformId, workspaceKey, { timeCreatedGreaterThanOrEqualTo: new Date(sinceMs).toISOString() }, { deadline })
    .all();
  const summaryByKey = new Map(summaries.map((j) => [j.key, j] as const));
  const listed = summaries.map((j) => jobRunRef(j, sinceMs));
  const plan = planJobRuns(listed, previous);

  const doneNow = new Set<string>();
  const failures: TaskRunFailure[] = [];
  const unknownStatuses = plan.unknownStatus.map((j) => ({ key: j.key, status: j.status ?? null }));
  let exported = 0;
  let alreadyArchived = 0;
  let withoutOutput = 0;
  const noOutputNow: OutputNotFoundRecord[] = [];
  const awaitingOutputNow: OutputNotFoundRecord[] = [];
  let announced = 0;
  let announcementsPending = 0;
  let stoppedByDeadline = false;

  for (const job of plan.toExport) {
    if (deadline.expired) {
      stoppedByDeadline = true;
      break;
    }
    try {
      const taskRuns = await deps.aidp.listTaskRuns(platformId, workspaceKey, { jobRunKey: job.key }, { deadline }).all();
      const tplan = planTaskRuns(taskRuns.map((t) => ({ key: t.key, status: t.state?.status })));
      for (const t of tplan.notFinished)
        if (runPhase(t.status) === "unknown") unknownStatuses.push({ key: t.key, status: t.status ?? null });
      let allDone = tplan.notFinished.length === 0;
      withoutOutput += tplan.neverRan.length;
      for (const t of tplan.toExport) {
        if (deadline.expired) {
          stoppedByDeadline = true;
          allDone = false;
          break;
        }
        const ids = { platformId, workspaceKey, taskRunKey: t.key };
        try {
          // Cheap listing first; only a task run with some pointer costs a getTaskRun (are all its attempts there?).
          if (
            (await isTaskRunArchived(deps.outputStore, settings.prefix, ids, deadline)) &&
            (await allAttemptsArchived(
              deps.outputStore,
              settings.prefix,
              ids,
              (
                await deps.aidp.getTaskRun(platformId, workspaceKey, t.key, { deadline })
              ).data,
              deadline,
            ))
          ) {
            alreadyArchived++;
            continue;
          }
          const outcome = await exportTaskRun({ aidp: deps.aidp, store: deps.outputStore, clock, logger }, settings, ids, { deadline });
          if (outcome.notFound) {
            const record: OutputNotFoundRecord = {
              jobRunKey: job.key,
              taskRunKey: t.key,
              outputKey: outcome.outputKey,
              opcRequestId: outcome.notFound.opcRequestId,
              reason: outcome.notFound.reason,
              decidedAt: new Date(clock.now()).toISOString(),
              ...(outcome.notFound.retryUntil ? { retryUntil: outcome.notFound.retryUntil } : {}),
            };
            (outcome.status === "output-pending" ? awaitingOutputNow : noOutputNow).push(record);
          }
          if (outcome.status === "no-output") withoutOutput++;
          else if (outcome.status === "output-pending") {
            // Not "done": the job run holds the watermark and is looked at again next sweep.
            allDone = false;
          } else if (outcome.status === "already-exported") alreadyArchived++;
          else exported++;
        } catch (err) {
          allDone = false;
          failures.push({ jobRunKey: job.key, taskRunKey: t.key, error: describeError(err) });
          logger.warn("export of a discovered task run failed; it will be retried next sweep", {
            jobRunKey: job.key,
            taskRunKey: t.key,
            error: err,
          });
        }
      }
      if (allDone && deps.jobRunAnnouncer) {
        const notice: JobRunNotice = {
          platformId,
          workspaceKey,
          jobRunKey: job.key,
          jobName: summaryByKey.get(job.key)?.jobName ?? summaryByKey.get(job.key)?.name,
          jobKey: summaryByKey.get(job.key)?.jobKey,
          status: job.status ?? "UNKNOWN",
          timeStarted: isoOf(summaryByKey.get(job.key)?.startTime),
          timeFinished: isoOf(summaryByKey.get(job.key)?.endTime),
          taskRuns: await taskRunNotices(
            deps,
            invocation,
            settings.prefix,
            { platformId, workspaceKey },
            taskRuns,
            new Set(tplan.toExport.map((t) => t.key)),
            deadline,
          ),
        };
        const outcome = await deps.jobRunAnnouncer.announce(notice, { work: deadline, hard: invocation.hardDeadline ?? deadline });
        if (outcome === "published") announced++;
        if (outcome === "published" || outcome === "already") doneNow.add(job.key);
        else announcementsPending++;
      } else if (allDone) {
        doneNow.add(job.key);
      }
    } catch (err) {
      failures.push({ jobRunKey: job.key, error: describeError(err) });
      logger.warn("listing the task runs of a finished job run failed; retried next sweep", { jobRunKey: job.key, error: err });
    }
    if (stoppedByDeadline) break;
  }

  const next = advanceState({ previous, sinceMs, listed, doneNow, nowMs: clock.now(), noOutputNow, awaitingOutputNow });
  let stateSaved = false;
  // Race: two sweeps (a slow one and the next scheduled one) both read the
  // state at etag E. The first saves with if-match:E → 200; the second gets
  // 412 and does not save: its exports are archived anyway (idempotent), and
  // whatever it would have advanced is redone cheaply by the next sweep.
  try {
    await deps.stateStore.put(stateName, serializeDiscoveryState(next), {
      contentType: "application/json",
      deadline: invocation.hardDeadline ?? deadline,
      ...(stored ? { ifMatch: stored.etag } : { ifNoneMatch: "*" as const }),
    });
    stateSaved = true;
  } catch (err) {
    if (!(err instanceof PreconditionFailedError)) throw err;
    logger.info("discovery state was saved by another sweep meanwhile; keeping theirs", { object: stateName });
  }

  return {
    platformId,
    workspaceKey,
    jobRunsListed: listed.length,
    jobRunsDone: doneNow.size,
    jobRunsAnnounced: announced,
    jobRunAnnouncementsPending: announcementsPending,
    taskRunsExported: exported,
    taskRunsAlreadyArchived: alreadyArchived,
    taskRunsWithoutOutput: withoutOutput,
    taskRunsAwaitingOutput: awaitingOutputNow.length,
    jobRunsRunning: plan.running.length,
    unknownStatuses,
    failures,
    watermark: new Date(next.watermarkMs).toISOString(),
    stateSaved,
    stoppedByDeadline,
  };
}
