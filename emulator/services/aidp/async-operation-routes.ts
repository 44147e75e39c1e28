import { z } from "zod";
import { badRequest, ServiceError } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import type { AidpStore } from "./aidp-store.js";
import { asyncOperationJson, asyncOperationSummaryJson } from "./async-operation-json.js";
import { CANCELED, IN_PROGRESS, operationAt } from "./async-operation-model.js";
import { etagOf } from "./etag.js";
import { keysetPage, queryFingerprint } from "./keyset-page.js";
import {
  asyncOperationKeyParam,
  booleanParam,
  limitParam,
  pageParam,
  parseOrThrow,
  platformIdParam,
  queryObject,
  sortOrderParam,
} from "./request-params.js";
import { checkRetryToken, type RetryTokenLog } from "./retry-token-log.js";

const BASE = "/20260430/aiDataPlatforms/:platformId/asyncOperations";

const OperationPath = z.object({ platformId: platformIdParam, key: asyncOperationKeyParam });
const PlatformPath = z.object({ platformId: platformIdParam });

const ListQuery = z.object({
  status: z.string().min(1).max(255).optional(),
  resourceType: z.string().min(1).max(255).optional(),
  resourceName: z.string().min(1).max(255).optional(),
  matchResourceName: booleanParam,
  shouldFilterByCallingPrincipal: booleanParam,
  limit: limitParam,
  page: pageParam,
  sortBy: z.enum(["timeStarted"], { message: "must be timeStarted" }).default("timeStarted"),
  sortOrder: sortOrderParam,
});

/** GetAsyncOperation, ListAsyncOperations and CancelAsyncOperation (docs/aidp-api.md, "Async operations"). */
export function asyncOperationRoutes(store: AidpStore, retryTokens: RetryTokenLog): RouteDef[] {
  const get = (req: EmuRequest): EmuResponse => {
    const { platformId, key } = parseOrThrow(OperationPath, req.params, "path");
    const op = operationAt(platformId, store.storedOperation(platformId, key), store.clock.now());
    const body = asyncOperationJson(op);
    return { status: 200, headers: { etag: etagOf(body) }, body };
  };

  const list = (req: EmuRequest): EmuResponse => {
    const { platformId } = parseOrThrow(PlatformPath, req.params, "path");
    const q = parseOrThrow(ListQuery, queryObject(req.query), "query");
    if (q.status === undefined && q.resourceType === undefined) {
      // Observed live: the service insists on one of the two filters.
      throw badRequest("MissingParameter", "ResourceType or Status filter need to be specified");
    }
    const records = store
      .allOperations(platformId)
      .filter((op) => op.visible)
      .filter((op) => q.status === undefined || op.status === q.status)
      .filter((op) => q.resourceType === undefined || op.resourceType === q.resourceType)
      .filter(
        (op) =>
          q.resourceName === undefined ||
          (q.matchResourceName ? op.resourceName.startsWith(q.resourceName) : op.resourceName === q.resourceName),
      )
      .filter((op) => !q.shouldFilterByCallingPrincipal || op.createdBy === req.principal);
    const fingerprint = queryFingerprint({
      route: req.route,
      platformId,
      status: q.status,
      resourceType: q.resourceType,
      resourceName: q.resourceName,
      matchResourceName: q.matchResourceName,
      principal: q.shouldFilterByCallingPrincipal ? req.principal : undefined,
      sortBy: q.sortBy,
      sortOrder: q.sortOrder,
    });
    const page = keysetPage(
      records.map((op) => ({ sortValue: op.timeStarted, key: op.key, op })),
      { order: q.sortOrder, limit: q.limit, page: q.page, fingerprint },
    );
    return {
      status: 200,
      headers: page.nextPage ? { "opc-next-page": page.nextPage } : {},
      body: { items: page.items.map((it) => asyncOperationSummaryJson(it.op)) },
    };
  };

  const cancel = (req: EmuRequest): EmuResponse => {
    const { platformId, key } = parseOrThrow(OperationPath, req.params, "path");
    checkRetryToken(req);
    const stored = store.storedOperation(platformId, key);
    const before = operationAt(platformId, stored, store.clock.now());
    if (before.status === IN_PROGRESS) {
      store.setOperationStatus(platformId, key, CANCELED);
    } else if (before.status !== CANCELED) {
      throw new ServiceError(409, "IncorrectState", `Async operation ${key} is already ${before.status} and cannot be canceled`);
    }
    const body = asyncOperationJson(operationAt(platformId, stored, store.clock.now()));
    return { status: 200, headers: { etag: etagOf(body) }, body };
  };

  return [
    { method: "GET", pattern: `${BASE}/:key`, name: "aidp.getAsyncOperation", handler: get },
    { method: "GET", pattern: BASE, name: "aidp.listAsyncOperations", handler: list },
    {
      method: "POST",
      pattern: `${BASE}/:key/actions/cancel`,
      name: "aidp.cancelAsyncOperation",
      handler: cancel,
      observe: (req) => retryTokens.record(req),
    },
  ];
}
