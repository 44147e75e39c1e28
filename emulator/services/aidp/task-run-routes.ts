import { z } from "zod";
import { badRequest, notFound } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import type { AidpStore } from "./aidp-store.js";
import { etagOf } from "./etag.js";
import { availableOutput, earlierAttemptOutput, taskRunStatusAt } from "./job-run-model.js";
import { keysetPage, queryFingerprint } from "./keyset-page.js";
import { exportOutput } from "./output-export.js";
import {
  jsonBody,
  limitParam,
  multiParam,
  outputKeyParam,
  pageParam,
  parseOrThrow,
  platformIdParam,
  queryObject,
  runKeyParam,
  sortOrderParam,
  workspaceKeyParam,
} from "./request-params.js";
import { checkRetryToken, type RetryTokenLog } from "./retry-token-log.js";
import { taskRunJson, taskRunOutputJson, taskRunSummaryJson } from "./workflow-json.js";

const BASE = "/20260430/aiDataPlatforms/:platformId/workspaces/:workspaceKey/taskRuns";

const WorkspacePath = z.object({ platformId: platformIdParam, workspaceKey: workspaceKeyParam });
const TaskRunPath = WorkspacePath.extend({ taskRunKey: runKeyParam });
const OutputPath = TaskRunPath.extend({ outputKey: outputKeyParam });

const ListQuery = z.object({
  jobRunKey: runKeyParam.optional(),
  displayName: z.string().min(1).max(255).optional(),
  status: multiParam,
  parentJobRunKey: runKeyParam.optional(),
  rootJobRunKey: runKeyParam.optional(),
  limit: limitParam,
  page: pageParam,
  sortBy: z
    .enum(["timeCreated", "displayName", "status"], { message: "must be timeCreated, displayName or status" })
    .default("timeCreated"),
  sortOrder: sortOrderParam,
});

const FetchOutputBody = z.looseObject({ outputKey: outputKeyParam.optional() });
const ExportBody = z.looseObject({ format: z.enum(["HTML", "IPYNB"], { message: "must be HTML or IPYNB" }).default("HTML") });

/** GetTaskRun, ListTaskRuns, FetchOutput and ExportOutput (docs/aidp-api.md, "Task runs and job runs"). */
export function taskRunRoutes(store: AidpStore, retryTokens: RetryTokenLog): RouteDef[] {
  const get = (req: EmuRequest): EmuResponse => {
    const { platformId, workspaceKey, taskRunKey } = parseOrThrow(TaskRunPath, req.params, "path");
    const body = taskRunJson(store.taskRun(platformId, workspaceKey, taskRunKey), store.clock.now());
    return { status: 200, headers: { etag: etagOf(body) }, body };
  };

  const list = (req: EmuRequest): EmuResponse => {
    const { platformId, workspaceKey } = parseOrThrow(WorkspacePath, req.params, "path");
    const q = parseOrThrow(ListQuery, queryObject(req.query, ["status"]), "query");
    if (q.jobRunKey === undefined) throw badRequest("MissingParameter", "Missing required parameter 'jobRunKey'");
    const now = store.clock.now();
    const statuses = q.status && q.status.length > 0 ? new Set(q.status) : undefined;
    const runs = store
      .taskRuns(platformId, workspaceKey)
      .filter((t) => t.jobRunKey === q.jobRunKey)
      .filter((t) => q.parentJobRunKey === undefined || t.jobRunKey === q.parentJobRunKey)
      .filter((t) => q.rootJobRunKey === undefined || t.jobRunKey === q.rootJobRunKey)
      .filter((t) => q.displayName === undefined || t.name === q.displayName)
      .map((t) => ({ t, status: taskRunStatusAt(t, now) }))
      .filter((x) => statuses === undefined || statuses.has(x.status));
    const sortValue = (x: (typeof runs)[number]) =>
      q.sortBy === "displayName" ? x.t.name : q.sortBy === "status" ? x.status : x.t.timeCreated;
    const { limit, page, sortOrder, ...filters } = q;
    const fingerprint = queryFingerprint({
      route: req.route,
      platformId,
      workspaceKey,
      ...filters,
      status: q.status?.slice().sort(),
      sortOrder,
    });
    const result = keysetPage(
      runs.map((x) => ({ sortValue: sortValue(x), key: x.t.key, t: x.t })),
      { order: sortOrder, limit, page, fingerprint },
    );
    return {
      status: 200,
      headers: result.nextPage ? { "opc-next-page": result.nextPage } : {},
      body: { items: result.items.map((x) => taskRunSummaryJson(x.t, now)) },
    };
  };

  const fetchOutput = (req: EmuRequest): EmuResponse => {
    const { platformId, workspaceKey, taskRunKey } = parseOrThrow(TaskRunPath, req.params, "path");
    checkRetryToken(req);
    const details = parseOrThrow(FetchOutputBody, jsonBody(req.body), "body");
    const t = store.taskRun(platformId, workspaceKey, taskRunKey);
    const earlier = details.outputKey === undefined ? undefined : earlierAttemptOutput(t, details.outputKey, store.clock.now());
    if (earlier) {
      const body = taskRunOutputJson(earlier.key, t, earlier.output);
      return { status: 200, headers: { etag: etagOf(body) }, body };
    }
    const out = availableOutput(t, store.clock.now());
    if (!out) {
      const status = taskRunStatusAt(t, store.clock.now());
      throw notFound("NotAuthorizedOrNotFound", `Task run ${taskRunKey} has no output (state ${status})`);
    }
    if (details.outputKey !== undefined && details.outputKey !== out.key) {
      throw notFound("NotAuthorizedOrNotFound", `Output ${details.outputKey} of task run ${taskRunKey} not found`);
    }
    const body = taskRunOutputJson(out.key, t, out.output);
    return { status: 200, headers: { etag: etagOf(body) }, body };
  };

  const exportRoute = (req: EmuRequest): EmuResponse => {
    const { platformId, workspaceKey, taskRunKey, outputKey } = parseOrThrow(OutputPath, req.params, "path");
    checkRetryToken(req);
    const { format } = parseOrThrow(ExportBody, jsonBody(req.body), "body");
    const t = store.taskRun(platformId, workspaceKey, taskRunKey);
    const current = availableOutput(t, store.clock.now());
    const out = current?.key === outputKey ? current : earlierAttemptOutput(t, outputKey, store.clock.now());
    if (!out) throw notFound("NotAuthorizedOrNotFound", `Output ${outputKey} of task run ${taskRunKey} not found`);
    return { status: 200, body: exportOutput(out.output, { taskRunName: t.name, taskRunKey, outputKey, format }) };
  };

  const record = (req: EmuRequest) => retryTokens.record(req);
  return [
    { method: "GET", pattern: `${BASE}/:taskRunKey`, name: "aidp.getTaskRun", handler: get },
    { method: "GET", pattern: BASE, name: "aidp.listTaskRuns", handler: list },
    { method: "POST", pattern: `${BASE}/:taskRunKey/actions/fetchOutput`, name: "aidp.fetchOutput", handler: fetchOutput, observe: record },
    {
      method: "POST",
      pattern: `${BASE}/:taskRunKey/outputs/:outputKey/actions/export`,
      name: "aidp.exportOutput",
      handler: exportRoute,
      observe: record,
    },
  ];
}
