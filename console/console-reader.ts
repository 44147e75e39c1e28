/**
 * Reads what the console shows through the ports the functions use: the
 * state bucket (indexes, claims, the publish budget) and the output bucket
 * (manifests) as `ObjectStore`s, AIDP through its client (details of
 * operations already announced, which the index no longer holds), and —
 * locally only — a message log (the emulator's; real ONS keeps none, so
 * against a deployment the inbox is what the claims record as published).
 * Read-only: it never writes.
 *
 * Immutable things are read once and cached: a published claim, a manifest,
 * a terminal operation's details. So a refresh costs a few LISTs, the index
 * GETs and the GETs of what changed.
 */
import type { AidpClient } from "../shared/aidp/aidp-client.js";
import { describeError } from "../shared/errors/aidp-watch-error.js";
import { parseManifest, type Manifest } from "../shared/export/manifest.js";
import { ServiceError } from "../shared/http/http-errors.js";
import type { ObjectStore } from "../shared/storage/object-store.js";
import { type Clock, systemClock } from "../shared/time/clock.js";
import { Deadline } from "../shared/time/deadline.js";
import { ClaimRecordSchema, type ClaimRecord } from "../shared/watch/claim-record.js";
import { BudgetStateSchema, usedInWindow } from "../shared/watch/publish-budget.js";
import { StatePaths } from "../shared/watch/state-paths.js";
import { parseIndex, type WatchIndex } from "../shared/watch/watch-index.js";
import type {
  ArchivedOutput,
  BudgetView,
  ConsoleSnapshot,
  HeldBack,
  InboxMessage,
  PlatformTimeline,
  ServiceStatus,
  TimelineEntry,
} from "./console-snapshot.js";

export interface LoggedMessage {
  readonly messageId: string;
  readonly receivedAt: string;
  readonly title?: string | undefined;
  readonly body: string;
  /** As an EMAIL subscriber received it. */
  readonly email: string;
  /** As a Slack channel showed it. */
  readonly slack: string;
}

export interface ConsoleSources {
  readonly mode: string;
  readonly stateStore: ObjectStore;
  readonly outputStore: ObjectStore | undefined;
  readonly aidp: Pick<AidpClient, "getAsyncOperation">;
  readonly statePrefix: string;
  readonly outputPrefix: string;
  readonly topicId: string | undefined;
  readonly budgetPerMinute: number;
  /** Local only: the emulator's message log. */
  readonly messageLog?: () => Promise<readonly LoggedMessage[]>;
  /** Console URL of an object in the output bucket. */
  readonly outputUrl: (objectName: string) => string;
  readonly clock?: Clock;
  /** Bound of one refresh. @default 20 s */
  readonly refreshTimeoutMs?: number;
}

interface ClaimRef {
  readonly platformId: string;
  readonly key: string;
  readonly status: string;
}

interface Details {
  readonly actionType?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
  readonly createdBy?: string;
  readonly timeStarted?: string;
  readonly timeFinished?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly detailsError?: string;
}

const JOB_RUN_PREFIX = "jobrun:";
const NON_TERMINAL_CLAIMS = new Set(["STILL_RUNNING"]);
const DETAILS_RETRY_MS = 60_000;

function json(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Start to finish; none while running (a ticking value would redraw the page every refresh). */
function durationMs(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const s = Date.parse(start);
  const e = Date.parse(end);
  return Number.isFinite(s) && Number.isFinite(e) && e >= s ? e - s : undefined;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export class ConsoleReader {
  private readonly paths: StatePaths;
  private readonly clock: Clock;
  private readonly publishedClaims = new Map<string, ClaimRecord>();
  private readonly details = new Map<string, { details: Details; at: number }>();
  private readonly manifests = new Map<string, Manifest | null>();
  private readonly lastOk = new Map<string, string>();

  constructor(private readonly src: ConsoleSources) {
    this.paths = new StatePaths(src.statePrefix);
    this.clock = src.clock ?? systemClock;
  }

  /** One full read. Never throws: a service it can't reach is reported in `services`. */
  async snapshot(): Promise<ConsoleSnapshot> {
    const deadline = Deadline.in(this.src.refreshTimeoutMs ?? 20_000, this.clock);
    const services: ServiceStatus[] = [];
    const track = async <T>(name: string, fallback: T, read: () => Promise<T>): Promise<T> => {
      try {
        const v = await read();
        const at = new Date(this.clock.now()).toISOString();
        this.lastOk.set(name, at);
        services.push({ name, ok: true, lastOkAt: at });
        return v;
      } catch (err) {
        const last = this.lastOk.get(name);
        services.push({ name, ok: false, error: describeError(err), ...(last ? { lastOkAt: last } : {}) });
        return fallback;
      }
    };

    const state = await track("state bucket", undefined, () => this.readState(deadline));
    let aidpError: unknown;
    const platforms = state ? await this.timelines(state.indexes, state.claims, deadline, (e) => (aidpError ??= e)) : [];
    services.push(aidpError === undefined ? { name: "AIDP", ok: true } : { name: "AIDP", ok: false, error: describeError(aidpError) });
    const outputs = this.src.outputStore ? await track("output bucket", [], () => this.readOutputs(deadline)) : [];
    const logged = this.src.messageLog ? await track("message log", undefined, () => this.src.messageLog!()) : undefined;
    return {
      mode: this.src.mode,
      generatedAt: new Date(this.clock.now()).toISOString(),
      services,
      platforms,
      inbox: logged ? this.inboxFromLog(logged) : this.inboxFromClaims(state?.claims ?? [], platforms),
      heldBack: state ? this.heldBack(state.indexes, state.claims) : [],
      budget: state?.budget ?? { perMinute: this.src.budgetPerMinute },
      outputs,
    };
  }

  private async readState(deadline: Deadline) {
    const store = this.src.stateStore;
    const indexes: WatchIndex[] = [];
    for await (const name of store.list(`${this.paths.prefix}platforms/`, { deadline })) {
      const platformId = this.paths.indexOf(name);
      if (platformId === undefined) continue;
      const obj = await store.get(name, { deadline });
      if (obj) indexes.push(parseIndex(obj.body, platformId));
    }
    const claims: Array<ClaimRef & { record: ClaimRecord | undefined }> = [];
    for await (const name of store.list(`${this.paths.prefix}announcements/`, { deadline })) {
      const ref = this.paths.claimOf(name);
      if (!ref) continue;
      let record = this.publishedClaims.get(name);
      if (!record) {
        const obj = await store.get(name, { deadline });
        const parsed = obj ? ClaimRecordSchema.safeParse(json(obj.body)) : undefined;
        record = parsed?.success ? parsed.data : undefined;
        if (record?.state === "published") this.publishedClaims.set(name, record);
      }
      claims.push({ ...ref, record });
    }
    let budget: BudgetView = { perMinute: this.src.budgetPerMinute };
    if (this.src.topicId) {
      const obj = await store.get(this.paths.budget(this.src.topicId), { deadline });
      const parsed = obj ? BudgetStateSchema.safeParse(json(obj.body)) : undefined;
      budget = { perMinute: this.src.budgetPerMinute, usedLastMinute: parsed?.success ? usedInWindow(parsed.data, this.clock.now()) : 0 };
    }
    return { indexes, claims, budget };
  }

  private async detailsOf(ref: ClaimRef, deadline: Deadline, onError: (e: unknown) => void): Promise<Details> {
    const id = `${ref.platformId}/${ref.key}`;
    const cached = this.details.get(id);
    const now = this.clock.now();
    if (cached && (cached.details.detailsError === undefined || now - cached.at < DETAILS_RETRY_MS)) return cached.details;
    let details: Details;
    try {
      const op = (await this.src.aidp.getAsyncOperation(ref.platformId, ref.key, { deadline })).data;
      details = defined({
        actionType: op.actionType,
        resourceType: op.resourceType,
        resourceName: op.resourceName || op.resourceDisplayName,
        createdBy: op.createdByName ?? op.createdBy,
        timeStarted: op.timeStarted,
        timeFinished: op.timeFinished,
        errorCode: op.errorCode,
        errorMessage: op.errorMessage,
      });
    } catch (err) {
      // A LOST operation is gone from AIDP by definition: that is not an outage.
      if (!(err instanceof ServiceError && err.status === 404)) onError(err);
      details = {
        detailsError: err instanceof ServiceError && err.status === 404 ? "AIDP no longer has this operation" : describeError(err),
      };
    }
    this.details.set(id, { details, at: now });
    return details;
  }

  private async timelines(
    indexes: readonly WatchIndex[],
    claims: ReadonlyArray<ClaimRef & { record: ClaimRecord | undefined }>,
    deadline: Deadline,
    onError: (e: unknown) => void,
  ) {
    const byPlatform = new Map<string, { watermark?: string; entries: Map<string, TimelineEntry> }>();
    const slot = (p: string) => {
      let s = byPlatform.get(p);
      if (!s) {
        s = { entries: new Map() };
        byPlatform.set(p, s);
      }
      return s;
    };
    for (const index of indexes) {
      const s = slot(index.platformId);
      s.watermark = index.watermark;
      for (const op of Object.values(index.operations)) {
        s.entries.set(
          op.key,
          defined({
            platformId: index.platformId,
            key: op.key,
            status: op.pending ?? op.status,
            state: op.pending ? "pending" : "running",
            actionType: op.actionType,
            resourceType: op.resourceType,
            resourceName: op.resourceName || op.resourceDisplayName,
            createdBy: op.createdByName ?? op.createdBy,
            timeStarted: op.timeStarted,
            timeFinished: op.timeFinished,
            durationMs: durationMs(op.timeStarted, op.timeFinished),
            errorCode: op.errorCode,
            errorMessage: op.errorMessage,
          }) as TimelineEntry,
        );
      }
      for (const [key, at] of Object.entries(index.givenUp)) {
        const e = s.entries.get(key);
        s.entries.set(key, { ...(e ?? { platformId: index.platformId, key, status: "GAVE_UP", state: "announced" }), givenUpAt: at });
      }
    }
    for (const c of claims) {
      if (c.key.startsWith(JOB_RUN_PREFIX) || NON_TERMINAL_CLAIMS.has(c.status)) continue;
      const s = slot(c.platformId);
      const existing = s.entries.get(c.key);
      const published = c.record?.state === "published" ? c.record : undefined;
      const d = existing?.actionType ? {} : await this.detailsOf(c, deadline, onError);
      const base = existing ?? { platformId: c.platformId, key: c.key };
      s.entries.set(
        c.key,
        defined({
          ...d,
          ...base,
          status: c.status,
          state: published ? "announced" : "publishing",
          durationMs: durationMs(existing?.timeStarted ?? d.timeStarted, existing?.timeFinished ?? d.timeFinished),
          publishedAt: published?.publishedAt,
          digest: published?.digest,
        }) as TimelineEntry,
      );
    }
    const out: PlatformTimeline[] = [];
    for (const [platformId, s] of [...byPlatform.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const entries = [...s.entries.values()].sort((a, b) =>
        (b.timeStarted ?? b.publishedAt ?? "").localeCompare(a.timeStarted ?? a.publishedAt ?? ""),
      );
      out.push(defined({ platformId, watermark: s.watermark, entries }));
    }
    return out;
  }

  private heldBack(indexes: readonly WatchIndex[], claims: ReadonlyArray<ClaimRef & { record: ClaimRecord | undefined }>): HeldBack[] {
    const out: HeldBack[] = [];
    for (const index of indexes) {
      for (const op of Object.values(index.operations)) {
        if (op.pending) {
          out.push({
            platformId: index.platformId,
            key: op.key,
            status: op.pending,
            reason: "decided but not published yet (publish budget spent, a failed publish or the deadline); the next sweep sends it",
          });
        }
      }
    }
    const now = this.clock.now();
    for (const c of claims) {
      if (c.record?.state !== "claimed") continue;
      const expired = Date.parse(c.record.leaseUntil) < now;
      out.push({
        platformId: c.platformId,
        key: c.key,
        status: c.status,
        reason: expired
          ? `claimed, lease expired at ${c.record.leaseUntil}: the next sweep takes it over`
          : `being published (lease until ${c.record.leaseUntil})`,
      });
    }
    return out;
  }

  private inboxFromLog(messages: readonly LoggedMessage[]): InboxMessage[] {
    return [...messages]
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((m) => ({
        messageId: m.messageId,
        receivedAt: m.receivedAt,
        title: m.title ?? "(no title)",
        kind: kindOf(m.title ?? ""),
        email: m.email,
        slack: m.slack,
        source: "message log" as const,
      }));
  }

  private inboxFromClaims(
    claims: ReadonlyArray<ClaimRef & { record: ClaimRecord | undefined }>,
    platforms: readonly PlatformTimeline[],
  ): InboxMessage[] {
    const entries = new Map(platforms.flatMap((p) => p.entries.map((e) => [`${p.platformId}/${e.key}`, e] as const)));
    const out: InboxMessage[] = [];
    for (const c of claims) {
      if (c.record?.state !== "published") continue;
      const e = entries.get(`${c.platformId}/${c.key}`);
      const what = c.key.startsWith(JOB_RUN_PREFIX)
        ? `JOB_RUN · ${c.key.slice(JOB_RUN_PREFIX.length)}`
        : `${e?.actionType ?? "?"} · ${e?.resourceName ?? c.key}`;
      const title = `${c.status} · ${what}`;
      out.push({
        messageId: c.record.messageId,
        receivedAt: c.record.publishedAt,
        title,
        kind: c.record.digest
          ? "digest"
          : c.key.startsWith(JOB_RUN_PREFIX)
            ? "job run"
            : c.status === "STILL_RUNNING"
              ? "still running"
              : "operation",
        source: "claim",
        claim: { platformId: c.platformId, key: c.key, status: c.status, digest: c.record.digest ?? false },
      });
    }
    return out.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  private async readOutputs(deadline: Deadline): Promise<ArchivedOutput[]> {
    const store = this.src.outputStore!;
    const names = new Set<string>();
    const prefix = this.src.outputPrefix.replace(/^\/+|\/+$/g, "");
    for await (const name of store.list(prefix === "" ? "" : `${prefix}/`, { deadline })) names.add(name);
    const out: ArchivedOutput[] = [];
    for (const name of names) {
      if (!name.endsWith("/manifest.json")) continue;
      let m = this.manifests.get(name);
      if (m === undefined) {
        const obj = await store.get(name, { deadline });
        m = obj ? (parseManifest(obj.body) ?? null) : null;
        this.manifests.set(name, m);
      }
      if (m === null) continue;
      const viewer = name.replace(/manifest\.json$/, "index.html");
      out.push({
        manifest: name,
        ...(names.has(viewer) ? { viewerUrl: this.src.outputUrl(viewer) } : {}),
        platformId: m.platformId,
        workspaceKey: m.workspaceKey,
        taskRunKey: m.taskRunKey,
        taskRunName: m.taskRunName,
        jobRunKey: m.jobRunKey,
        taskRunStatus: m.taskRunStatus,
        outputKey: m.outputKey,
        version: m.version,
        exportedAt: m.exportedAt,
        parts: m.parts.length,
        failedParts: m.parts.filter((p) => p.status === "failed").length,
        bytes: m.parts.reduce((n, p) => n + (p.status === "archived" ? p.bytes : 0), 0),
        isTruncated: m.isTruncated,
        complete: m.complete,
        types: [...new Set(m.parts.map((p) => p.type))],
      });
    }
    return out.sort((a, b) => b.exportedAt.localeCompare(a.exportedAt));
  }
}

/** What kind of message a title announces (titles are `STATUS · …`, digests `DIGEST · …`). */
export function kindOf(title: string): string {
  if (title.startsWith("DIGEST")) return "digest";
  if (title.startsWith("STILL_RUNNING")) return "still running";
  if (/ · JOB_RUN · /.test(title)) return "job run";
  return "operation";
}
