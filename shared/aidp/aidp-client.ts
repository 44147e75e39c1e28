import type * as common from "oci-common";
import * as z from "../schema/zod.js";
import { type TaskRunOutput, TaskRunOutputSchema } from "../decode/run-output-schema.js";
import type { RetryPolicy } from "../http/retry-policy.js";
import type { RandomSource } from "../http/retry-timing.js";
import { type CallOptions, type HttpMethod, type HttpResponse, SignedHttpClient } from "../http/signed-http-client.js";
import type { Logger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import { resolveAidpBaseUrl } from "./aidp-endpoint.js";
import {
  checkInput,
  ExportOutputDetailsSchema,
  type ExportOutputDetails,
  FetchOutputDetailsSchema,
  type FetchOutputDetails,
  KeySchema,
  ListAsyncOperationsFilterSchema,
  type ListAsyncOperationsFilter,
  ListJobRunsFilterSchema,
  type ListJobRunsFilter,
  ListTaskRunsFilterSchema,
  type ListTaskRunsFilter,
  PlatformIdSchema,
} from "./aidp-inputs.js";
import { type AsyncOperation, AsyncOperationCollectionSchema, AsyncOperationSchema, type AsyncOperationSummary } from "./async-operation-schema.js";
import { collectAll, type Page, paginate } from "./paginate.js";
import {
  type ExportedTaskRunOutputContents,
  ExportedTaskRunOutputContentsSchema,
  type JobRun,
  JobRunCollectionSchema,
  JobRunSchema,
  type JobRunSummary,
  type TaskRun,
  TaskRunCollectionSchema,
  TaskRunSchema,
  type TaskRunSummary,
} from "./workflow-schema.js";

/**
 * Client for the AIDP data plane (API 20260430) over the signed HTTP core.
 *
 * Every method validates its arguments (`AidpInputError` before anything is
 * sent), percent-encodes path parameters, takes `CallOptions`
 * (`{ deadline, requestId?, signal? }`) and returns an `AidpResponse`:
 * `{ data, opcRequestId, clientRequestId, etag, attempts }` — the parsed body
 * plus what is needed to quote the call to Oracle support. List methods come in
 * three forms: one page (`…Page`), an async iterator of pages, and a
 * collect-all helper. Failures are the HTTP core's typed errors.
 */
export interface AidpResponse<T> {
  readonly data: T;
  /** `opc-request-id` the service answered with. */
  readonly opcRequestId: string | undefined;
  /** `opc-request-id` we sent. */
  readonly clientRequestId: string;
  readonly etag: string | undefined;
  readonly attempts: number;
}

export interface AidpPage<T> extends Page<T> {
  readonly clientRequestId: string;
}

/** Call options of POST actions: an explicit `opc-retry-token` (one is generated otherwise). */
export interface ActionCallOptions extends CallOptions {
  readonly retryToken?: string;
}

export interface AidpClientOptions {
  readonly provider: common.AuthenticationDetailsProvider;
  /** Full override, e.g. `http://127.0.0.1:PORT` (emulator). `/20260430` is appended when missing. */
  readonly endpoint?: string;
  /** Region id for the default endpoint. @default the provider's region */
  readonly region?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly retryPolicy?: RetryPolicy;
  readonly random?: RandomSource;
}

const EmptyOrOperationSchema = z.union([AsyncOperationSchema, z.undefined(), z.pipe(z.strictObject({}), z.transform(() => undefined))]);

export class AidpClient {
  readonly baseUrl: string;
  private readonly http: SignedHttpClient;

  constructor(options: AidpClientOptions) {
    let regionId = options.region;
    let secondLevelDomain: string | undefined;
    if (!options.endpoint) {
      const provider = options.provider as Partial<common.RegionProvider>;
      const region = typeof provider.getRegion === "function" ? provider.getRegion() : undefined;
      regionId ??= region?.regionId;
      secondLevelDomain = region?.realm?.secondLevelDomain;
    }
    this.baseUrl = resolveAidpBaseUrl({ endpoint: options.endpoint, regionId, secondLevelDomain });
    this.http = new SignedHttpClient({
      provider: options.provider,
      clock: options.clock,
      logger: options.logger,
      retryPolicy: options.retryPolicy,
      random: options.random,
      userAgent: "aidp-watch/aidp-client",
    });
  }

  // ── Async operations ────────────────────────────────────────────────────

  async getAsyncOperation(platformId: string, operationKey: string, opts: CallOptions): Promise<AidpResponse<AsyncOperation>> {
    const op = "aidp.getAsyncOperation";
    const path = this.platformPath(op, platformId, ["asyncOperations", key(op, "operationKey", operationKey)]);
    return toResponse(await this.send(op, "GET", path, AsyncOperationSchema, opts));
  }

  /** One page. Pass `filter.page` = the previous page's `nextPage`. */
  async listAsyncOperationsPage(platformId: string, filter: ListAsyncOperationsFilter, opts: CallOptions): Promise<AidpPage<AsyncOperationSummary>> {
    const op = "aidp.listAsyncOperations";
    const f = checkInput(op, "filter", ListAsyncOperationsFilterSchema, filter);
    const path = this.platformPath(op, platformId, ["asyncOperations"]);
    return toPage(await this.send(op, "GET", path + query(f), AsyncOperationCollectionSchema, opts));
  }

  /** Every page, following `opc-next-page`, each with the same `opts` (deadline). */
  listAsyncOperations(platformId: string, filter: ListAsyncOperationsFilter, opts: CallOptions): AsyncGenerator<AidpPage<AsyncOperationSummary>, void, undefined> {
    return paginate((page) => this.listAsyncOperationsPage(platformId, { ...filter, page }, opts), filter.page);
  }

  /** All items of every page (at most `maxItems`). */
  collectAsyncOperations(platformId: string, filter: ListAsyncOperationsFilter, opts: CallOptions & { maxItems?: number }): Promise<AsyncOperationSummary[]> {
    return collectAll(this.listAsyncOperations(platformId, filter, opts), opts.maxItems);
  }

  /**
   * Cancels an operation ("cancelled or was already cancelled"; support depends on
   * the operation type). The response body is not documented: `data` is the
   * operation when the service returns one, else `undefined`.
   */
  async cancelAsyncOperation(platformId: string, operationKey: string, opts: ActionCallOptions): Promise<AidpResponse<AsyncOperation | undefined>> {
    const op = "aidp.cancelAsyncOperation";
    const path = this.platformPath(op, platformId, ["asyncOperations", key(op, "operationKey", operationKey), "actions", "cancel"]);
    return toResponse(await this.send(op, "POST", path, EmptyOrOperationSchema, opts, undefined));
  }

  // ── Task runs ───────────────────────────────────────────────────────────

  async getTaskRun(platformId: string, workspaceKey: string, taskRunKey: string, opts: CallOptions): Promise<AidpResponse<TaskRun>> {
    const op = "aidp.getTaskRun";
    const path = this.workspacePath(op, platformId, workspaceKey, ["taskRuns", key(op, "taskRunKey", taskRunKey)]);
    return toResponse(await this.send(op, "GET", path, TaskRunSchema, opts));
  }

  async listTaskRunsPage(platformId: string, workspaceKey: string, filter: ListTaskRunsFilter, opts: CallOptions): Promise<AidpPage<TaskRunSummary>> {
    const op = "aidp.listTaskRuns";
    const f = checkInput(op, "filter", ListTaskRunsFilterSchema, filter);
    const path = this.workspacePath(op, platformId, workspaceKey, ["taskRuns"]);
    return toPage(await this.send(op, "GET", path + query(f), TaskRunCollectionSchema, opts));
  }

  listTaskRuns(platformId: string, workspaceKey: string, filter: ListTaskRunsFilter, opts: CallOptions): AsyncGenerator<AidpPage<TaskRunSummary>, void, undefined> {
    return paginate((page) => this.listTaskRunsPage(platformId, workspaceKey, { ...filter, page }, opts), filter.page);
  }

  collectTaskRuns(platformId: string, workspaceKey: string, filter: ListTaskRunsFilter, opts: CallOptions & { maxItems?: number }): Promise<TaskRunSummary[]> {
    return collectAll(this.listTaskRuns(platformId, workspaceKey, filter, opts), opts.maxItems);
  }

  /**
   * The task run's output (`POST …/actions/fetchOutput`). One `opc-retry-token`
   * is sent on every attempt of the call. Parsed with `shared/decode`'s
   * `TaskRunOutputSchema`; decoding the payloads is the decoder's job.
   */
  async fetchOutput(platformId: string, workspaceKey: string, taskRunKey: string, details: FetchOutputDetails, opts: ActionCallOptions): Promise<AidpResponse<TaskRunOutput>> {
    const op = "aidp.fetchOutput";
    const body = checkInput(op, "details", FetchOutputDetailsSchema, details);
    const path = this.workspacePath(op, platformId, workspaceKey, ["taskRuns", key(op, "taskRunKey", taskRunKey), "actions", "fetchOutput"]);
    return toResponse(await this.send(op, "POST", path, TaskRunOutputSchema, opts, body));
  }

  /** Renders an output as HTML (default) or IPYNB (`POST …/outputs/{key}/actions/export`). */
  async exportTaskRunOutput(
    platformId: string,
    workspaceKey: string,
    taskRunKey: string,
    taskRunOutputKey: string,
    details: ExportOutputDetails,
    opts: ActionCallOptions,
  ): Promise<AidpResponse<ExportedTaskRunOutputContents>> {
    const op = "aidp.exportOutput";
    const body = checkInput(op, "details", ExportOutputDetailsSchema, details);
    const path = this.workspacePath(op, platformId, workspaceKey, [
      "taskRuns",
      key(op, "taskRunKey", taskRunKey),
      "outputs",
      key(op, "taskRunOutputKey", taskRunOutputKey),
      "actions",
      "export",
    ]);
    return toResponse(await this.send(op, "POST", path, ExportedTaskRunOutputContentsSchema, opts, body));
  }

  // ── Job runs ────────────────────────────────────────────────────────────

  async getJobRun(platformId: string, workspaceKey: string, jobRunKey: string, opts: CallOptions): Promise<AidpResponse<JobRun>> {
    const op = "aidp.getJobRun";
    const path = this.workspacePath(op, platformId, workspaceKey, ["jobRuns", key(op, "jobRunKey", jobRunKey)]);
    return toResponse(await this.send(op, "GET", path, JobRunSchema, opts));
  }

  async listJobRunsPage(platformId: string, workspaceKey: string, filter: ListJobRunsFilter, opts: CallOptions): Promise<AidpPage<JobRunSummary>> {
    const op = "aidp.listJobRuns";
    const f = checkInput(op, "filter", ListJobRunsFilterSchema, filter);
    const path = this.workspacePath(op, platformId, workspaceKey, ["jobRuns"]);
    return toPage(await this.send(op, "GET", path + query(f), JobRunCollectionSchema, opts));
  }

  listJobRuns(platformId: string, workspaceKey: string, filter: ListJobRunsFilter, opts: CallOptions): AsyncGenerator<AidpPage<JobRunSummary>, void, undefined> {
    return paginate((page) => this.listJobRunsPage(platformId, workspaceKey, { ...filter, page }, opts), filter.page);
  }

  collectJobRuns(platformId: string, workspaceKey: string, filter: ListJobRunsFilter, opts: CallOptions & { maxItems?: number }): Promise<JobRunSummary[]> {
    return collectAll(this.listJobRuns(platformId, workspaceKey, filter, opts), opts.maxItems);
  }

  // ── plumbing ────────────────────────────────────────────────────────────

  private platformPath(op: string, platformId: string, rest: readonly string[]): string {
    const id = checkInput(op, "platformId", PlatformIdSchema, platformId);
    return `/aiDataPlatforms/${encodeURIComponent(id)}/${rest.join("/")}`;
  }

  private workspacePath(op: string, platformId: string, workspaceKey: string, rest: readonly string[]): string {
    return this.platformPath(op, platformId, ["workspaces", key(op, "workspaceKey", workspaceKey), ...rest]);
  }

  private send<T>(operation: string, method: HttpMethod, path: string, schema: z.core.$ZodType<T>, opts: ActionCallOptions, body?: unknown): Promise<HttpResponse<T>> {
    return this.http.request(
      {
        method,
        url: `${this.baseUrl}${path}`,
        operation,
        schema,
        ...(method === "POST" ? { body: body ?? {} } : {}),
        ...(opts.retryToken !== undefined ? { retryToken: opts.retryToken } : {}),
      },
      opts,
    );
  }
}

/** A validated, percent-encoded path segment. */
function key(op: string, name: string, value: string): string {
  return encodeURIComponent(checkInput(op, name, KeySchema, value));
}

/** Query string from defined values; arrays become repeated parameters. */
function query(params: Readonly<Record<string, unknown>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

function toResponse<T>(r: HttpResponse<T>): AidpResponse<T> {
  return { data: r.data, opcRequestId: r.opcRequestId, clientRequestId: r.clientRequestId, etag: r.etag, attempts: r.attempts };
}

function toPage<T>(r: HttpResponse<{ items: T[] }>): AidpPage<T> {
  return { items: r.data.items, nextPage: r.nextPage, opcRequestId: r.opcRequestId, clientRequestId: r.clientRequestId };
}
