import type { AsyncOperationRecord } from "./async-operation-model.js";

/** `AsyncOperation` as the API returns it (docs/aidp-api.md, "Async operations"): RFC 3339 times, absent optional fields omitted. */
export function asyncOperationJson(op: AsyncOperationRecord): Record<string, unknown> {
  return compact({
    key: op.key,
    resourceType: op.resourceType,
    actionType: op.actionType,
    resourceName: op.resourceName,
    resourceDisplayName: op.resourceDisplayName,
    createdBy: op.createdBy,
    createdByName: op.createdByName,
    timeStarted: rfc3339(op.timeStarted),
    timeFinished: op.timeFinished === undefined ? undefined : rfc3339(op.timeFinished),
    status: op.status,
    statusDetails: op.statusDetails,
    errorCode: op.errorCode,
    errorMessage: op.errorMessage,
  });
}

/** `AsyncOperationSummary`: the list item; it has no errorCode/errorMessage. */
export function asyncOperationSummaryJson(op: AsyncOperationRecord): Record<string, unknown> {
  const { errorCode: _c, errorMessage: _m, ...summary } = asyncOperationJson(op);
  return summary;
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

export function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
