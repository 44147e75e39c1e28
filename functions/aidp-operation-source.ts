/**
 * The watch core's `OperationSource` over the signed AIDP data-plane client.
 * A 404 on GET is an answer (`not-found`): the sweep counts them towards LOST.
 */
import type { AidpClient } from "../shared/aidp/aidp-client.js";
import type { AsyncOperationSummary } from "../shared/aidp/async-operation-schema.js";
import { ServiceError } from "../shared/http/http-errors.js";
import type { Deadline } from "../shared/time/deadline.js";
import type { OperationSnapshot } from "../shared/watch/operation.js";
import type { GetResult, ListQuery, OperationPage, OperationSource } from "../shared/watch/operation-source.js";

export class AidpOperationSource implements OperationSource {
  constructor(private readonly client: AidpClient) {}

  async *listPages(platformId: string, query: ListQuery, options: { deadline: Deadline }): AsyncIterable<OperationPage> {
    const pages = this.client.listAsyncOperations(
      platformId,
      {
        status: query.status,
        ...(query.resourceType ? { resourceType: query.resourceType } : {}),
        ...(query.filterByCallingPrincipal ? { shouldFilterByCallingPrincipal: true } : {}),
        limit: query.limit,
        sortBy: "timeStarted",
        sortOrder: query.sortOrder ?? "DESC",
      },
      { deadline: options.deadline },
    );
    for await (const page of pages) {
      yield { items: page.items.map(snapshot), opcRequestId: page.opcRequestId ?? page.clientRequestId };
    }
  }

  async get(platformId: string, key: string, options: { deadline: Deadline }): Promise<GetResult> {
    try {
      const r = await this.client.getAsyncOperation(platformId, key, { deadline: options.deadline });
      return { kind: "found", op: snapshot(r.data), opcRequestId: r.opcRequestId ?? r.clientRequestId };
    } catch (err) {
      if (err instanceof ServiceError && err.status === 404) return { kind: "not-found", opcRequestId: err.opcRequestId };
      throw err;
    }
  }
}

function snapshot(o: AsyncOperationSummary & { errorCode?: string | undefined; errorMessage?: string | undefined }): OperationSnapshot {
  return {
    key: o.key,
    resourceType: o.resourceType,
    actionType: o.actionType,
    resourceName: o.resourceName,
    resourceDisplayName: o.resourceDisplayName ?? undefined,
    createdBy: o.createdBy ?? undefined,
    createdByName: o.createdByName ?? undefined,
    timeStarted: o.timeStarted ?? undefined,
    timeFinished: o.timeFinished ?? undefined,
    status: o.status,
    statusDetails: o.statusDetails ?? undefined,
    errorCode: o.errorCode ?? undefined,
    errorMessage: o.errorMessage ?? undefined,
  };
}
