import { z } from "zod";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import type { AidpStore } from "./aidp-store.js";
import { etagOf } from "./etag.js";
import { jobRunStatusAt } from "./job-run-model.js";
import { keysetPage, queryFingerprint } from "./keyset-page.js";
import {
  limitParam,
  multiParam,
  pageParam,
  parseOrThrow,
  platformIdParam,
  queryObject,
  rfc3339Param,
  runKeyParam,
  sortOrderParam,
  workspaceKeyParam,
} from "./request-params.js";
import { jobRunJson, jobRunSummaryJson } from "./workflow-json.js";

const BASE = "/20260430/aiDataPlatforms/:platformId/workspaces/:workspaceKey/jobRuns";

const WorkspacePath = z.object({ platformId: platformIdParam, workspaceKey: workspaceKeyParam });
const JobRunPath = WorkspacePath.extend({ jobRunKey: runKeyParam });

const ListQuery = z.object({
  displayName: z.string().min(1).max(255).optional(),
  jobKey: multiParam,
  status: multiParam,
  timeCreatedGreaterThanOrEqualTo: rfc3339Param.optional(),
  timeCreatedLessThanOrEqualTo: rfc3339Param.optional(),
  limit: limitParam,
  page: pageParam,
  sortBy: z.enum(["timeCreated", "displayName"], { message: "must be timeCreated or displayName" }).default("timeCreated"),
  sortOrder: sortOrderParam,
});

/** ListJobRuns and GetJobRun (docs/aidp-api.md, "Task runs and job runs"). */
export function jobRunRoutes(store: AidpStore): RouteDef[] {
  const get = (req: EmuRequest): EmuResponse => {
    const { platformId, workspaceKey, jobRunKey } = parseOrThrow(JobRunPath, req.params, "path");
    const j = store.jobRun(platformId, workspaceKey, jobRunKey);
    const body = jobRunJson(j, store.taskRunsOf(platformId, workspaceKey, j), store.clock.now());
    return { status: 200, headers: { etag: etagOf(body) }, body };
  };

  const list = (req: EmuRequest): EmuResponse => {
    const { platformId, workspaceKey } = parseOrThrow(WorkspacePath, req.params, "path");
    const q = parseOrThrow(ListQuery, queryObject(req.query, ["status", "jobKey"]), "query");
    const now = store.clock.now();
    const statuses = q.status && q.status.length > 0 ? new Set(q.status) : undefined;
    const jobKeys = q.jobKey && q.jobKey.length > 0 ? new Set(q.jobKey) : undefined;
    const runs = store
      .jobRuns(platformId, workspaceKey)
      .filter((j) => q.timeCreatedGreaterThanOrEqualTo === undefined || j.timeCreated >= q.timeCreatedGreaterThanOrEqualTo)
      .filter((j) => q.timeCreatedLessThanOrEqualTo === undefined || j.timeCreated <= q.timeCreatedLessThanOrEqualTo)
      .filter((j) => q.displayName === undefined || j.name === q.displayName)
      .filter((j) => jobKeys === undefined || jobKeys.has(j.jobKey))
      .filter((j) => statuses === undefined || statuses.has(jobRunStatusAt(j, now)));
    const { limit, page, sortOrder, ...filters } = q;
    const fingerprint = queryFingerprint({
      route: req.route,
      platformId,
      workspaceKey,
      ...filters,
      status: q.status?.slice().sort(),
      jobKey: q.jobKey?.slice().sort(),
      sortOrder,
    });
    const result = keysetPage(
      runs.map((j) => ({ sortValue: q.sortBy === "displayName" ? j.name : j.timeCreated, key: j.key, j })),
      { order: sortOrder, limit, page, fingerprint },
    );
    return {
      status: 200,
      headers: result.nextPage ? { "opc-next-page": result.nextPage } : {},
      body: { items: result.items.map((x) => jobRunSummaryJson(x.j, store.taskRunsOf(platformId, workspaceKey, x.j), now)) },
    };
  };

  return [
    { method: "GET", pattern: `${BASE}/:jobRunKey`, name: "aidp.getJobRun", handler: get },
    { method: "GET", pattern: BASE, name: "aidp.listJobRuns", handler: list },
  ];
}
