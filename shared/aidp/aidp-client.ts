/**
 * Client for the AIDP data plane (API 20260430) over the signed HTTP core.
 *
 * Every method validates its arguments (`AidpInputError` before anything is
 * sent), percent-encodes path parameters, takes `CallOptions`
 * (`{ deadline, requestId?, signal? }`) and returns an `AidpResponse`:
 * `{ data, opcRequestId, clientRequestId, etag, attempts }` — the parsed body
 * plus what is needed to quote the call to Oracle support. List methods return
 * an `AidpListing` (shared/aidp/paginate.ts): one page, every page, or every
 * item. Failures are the HTTP core's typed errors.
 */
import type * as common from "oci-common";
import * as z from "../schema/zod.js";
import type { RetryPolicy } from "../http/retry-policy.js";
import type { RandomSource } from "../http/retry-timing.js";
import { type CallOptions, type HttpMethod, type HttpResponse, SignedHttpClient } from "../http/signed-http-client.js";
import type { Logger } from "../log/logger.js";
import type { Clock } from "../time/clock.js";
import { resolveAidpBaseUrl } from "./aidp-endpoint.js";
import { type FetchedTaskRunOutput, FetchedTaskRunOutputSchema } from "./fetched-output-schema.js";
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
import {
  type AsyncOperation,
  AsyncOperationCollectionSchema,
  AsyncOperationSchema,
  type AsyncOperationSummary,
} from "./async-operation-schema.js";
import { Listing, type Page } from "./paginate.js";
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

/** One list call: `.page(token?)`, `for await` over every page, or `.all(maxItems?)`. */
export type AidpListing<T> = Listing<T, AidpPage<T>>;

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

const EmptyOrOperationSchema = z.union([
  AsyncOperationSchema,
  z.undefined(),
  z.pipe(
    z.strictObject({}),
    z.transform(() => undefined),
  ),
]);

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

  /** Every page uses the same `opts` (deadline); `filter.page` starts at a given page. */
  listAsyncOperations(platformId: string, filter: ListAsyncOperationsFilter, opts: CallOptions): AidpListing<AsyncOperationSummary> {
    const op = "aidp.listAsyncOperations";
    return new Listing(async (page) => {
      const f = checkInput(op, "filter", ListAsyncOperationsFilterSchema, { ...filter, page });
      const path = this.platformPath(op, platformId, ["asyncOperations"]);
      return this.sendPage(op, path, f, AsyncOperationCollectionSchema, opts);
    }, filter.page);
  }

  /**
   * Cancels an operation ("cancelled or was already cancelled"; support depends on
   * the operation type). The response body is not documented: `data` is the
   * operation when the service returns one, else `undefined`.
   */
  async cancelAsyncOperation(
    platformId: string,
    operationKey: string,
    opts: ActionCallOptions,
  ): Promise<AidpResponse<AsyncOperation | undefined>> {
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

  listTaskRuns(platformId: string, workspaceKey: string, filter: ListTaskRunsFilter, opts: CallOptions): AidpListing<TaskRunSummary> {
    const op = "aidp.listTaskRuns";
    return new Listing(async (page) => {
      const f = checkInput(op, "filter", ListTaskRunsFilterSchema, { ...filter, page });
      const path = this.workspacePath(op, platformId, workspaceKey, ["taskRuns"]);
      return this.sendPage(op, path, f, TaskRunCollectionSchema, opts);
    }, filter.page);
  }

  /**
   * The task run's output (`POST …/actions/fetchOutput`). One `opc-retry-token`
   * is sent on every attempt of the call. Parsed with `shared/decode`'s
   * `TaskRunOutputSchema`, read from the body's bytes: a long base64 `value`
   * comes back as an `AsciiText` over them (fetched-output-schema.ts), never as
   * a JS string; decoding the payloads is the decoder's job.
   */
  async fetchOutput(
    platformId: string,
    workspaceKey: string,
    taskRunKey: string,
    details: FetchOutputDetails,
    opts: ActionCallOptions,
  ): Promise<AidpResponse<FetchedTaskRunOutput>> {
    const op = "aidp.fetchOutput";
    const body = checkInput(op, "details", FetchOutputDetailsSchema, details);
    const path = this.workspacePath(op, platformId, workspaceKey, [
      "taskRuns",
      key(op, "taskRunKey", taskRunKey),
      "actions",
      "fetchOutput",
    ]);
    return toResponse(await this.send(op, "POST", path, FetchedTaskRunOutputSchema, opts, body, { largeStrings: true }));
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

  listJobRuns(platformId: string, workspaceKey: string, filter: ListJobRunsFilter, opts: CallOptions): AidpListing<JobRunSummary> {
    const op = "aidp.listJobRuns";
    return new Listing(async (page) => {
      const f = checkInput(op, "filter", ListJobRunsFilterSchema, { ...filter, page });
      const path = this.workspacePath(op, platformId, workspaceKey, ["jobRuns"]);
      return this.sendPage(op, path, f, JobRunCollectionSchema, opts);
    }, filter.page);
  }

  // ── plumbing ────────────────────────────────────────────────────────────

  private platformPath(op: string, platformId: string, rest: readonly string[]): string {
    const id = checkInput(op, "platformId", PlatformIdSchema, platformId);
    return `/aiDataPlatforms/${encodeURIComponent(id)}/${rest.join("/")}`;
  }

  private workspacePath(op: string, platformId: string, workspaceKey: string, rest: readonly string[]): string {
    return this.platformPath(op, platformId, ["workspaces", key(op, "workspaceKey", workspaceKey), ...rest]);
  }

  private async sendPage<T>(
    op: string,
    path: string,
    filter: Readonly<Record<string, unknown>>,
    schema: z.core.$ZodType<{ items: T[] }>,
    opts: CallOptions,
  ): Promise<AidpPage<T>> {
    const r = await this.send(op, "GET", path + query(filter), schema, opts);
    return { items: r.data.items, nextPage: r.nextPage, opcRequestId: r.opcRequestId, clientRequestId: r.clientRequestId };
  }

  private send<T>(
    operation: string,
    method: HttpMethod,
    path: string,
    schema: z.core.$ZodType<T>,
    opts: ActionCallOptions,
    body?: unknown,
    read: { largeStrings?: boolean } = {},
  ): Promise<HttpResponse<T>> {
    return this.http.request(
      {
        method,
        url: `${this.baseUrl}${path}`,
        operation,
        schema,
        ...read,
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
