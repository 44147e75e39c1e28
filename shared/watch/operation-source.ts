/**
 * The port through which the watch core reads AIDP async operations. The
 * production adapter wraps the signed AIDP data-plane client
 * (`functions/aidp-operation-source.ts`); unit tests use
 * `memory-operation-source.ts`.
 */
import type { Deadline } from "../time/deadline.js";
import type { OperationSnapshot } from "./operation.js";

export interface ListQuery {
  readonly status: string;
  /** Server-side resource type filter (one value). */
  readonly resourceType?: string | undefined;
  readonly filterByCallingPrincipal: boolean;
  /** By `timeStarted`. @default DESC (the API's default) */
  readonly sortOrder?: "ASC" | "DESC";
  /** Page size, 1–1000. */
  readonly limit: number;
}

export interface OperationPage {
  readonly items: readonly OperationSnapshot[];
  readonly opcRequestId?: string | undefined;
}

export type GetResult =
  | { readonly kind: "found"; readonly op: OperationSnapshot; readonly opcRequestId?: string | undefined }
  | { readonly kind: "not-found"; readonly opcRequestId?: string | undefined };

export interface OperationSource {
  /** One page per API call, following `opc-next-page`; the caller may stop early. */
  listPages(platformId: string, query: ListQuery, options: { deadline: Deadline }): AsyncIterable<OperationPage>;
  /** 404 is an answer (`not-found`), not an error; other failures throw. */
  get(platformId: string, key: string, options: { deadline: Deadline }): Promise<GetResult>;
}
