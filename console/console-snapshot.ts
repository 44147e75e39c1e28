/**
 * What the console page shows, as the server sends it (`GET /api/snapshot`).
 * Types only: the browser script (page/console-app.ts) and the server share
 * them. Every string in it comes from outside (AIDP, the buckets, ONS): the
 * page puts them in the DOM as text only (`textContent`), never as markup.
 */
export interface ServiceStatus {
  /** "state bucket", "output bucket", "AIDP", "message log". */
  readonly name: string;
  readonly ok: boolean;
  /** Why it could not be reached (one line). */
  readonly error?: string;
  /** ISO time of the last successful read. */
  readonly lastOkAt?: string;
}

export type TimelineState =
  /** Tracked by the index, not terminal yet. */
  | "running"
  /** A terminal (or LOST/GAVE_UP) announcement decided, not published yet (budget, failed publish, deadline). */
  | "pending"
  /** Claimed by an invocation that is publishing now. */
  | "publishing"
  /** Published (claims record it). */
  | "announced";

export interface TimelineEntry {
  readonly platformId: string;
  readonly key: string;
  readonly status: string;
  readonly state: TimelineState;
  readonly actionType?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
  readonly createdBy?: string;
  readonly timeStarted?: string;
  readonly timeFinished?: string;
  /** Milliseconds from start to finish (or to now while running). */
  readonly durationMs?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** When the claim says it was published. */
  readonly publishedAt?: string;
  /** Published inside a digest message rather than on its own. */
  readonly digest?: boolean;
  /** The index gave it up (too old) at this time. */
  readonly givenUpAt?: string;
  /** Details AIDP would not give (e.g. the operation is gone). */
  readonly detailsError?: string;
}

export interface PlatformTimeline {
  readonly platformId: string;
  readonly watermark?: string;
  readonly entries: readonly TimelineEntry[];
}

export interface InboxMessage {
  readonly messageId: string;
  readonly receivedAt: string;
  readonly title: string;
  /** "operation", "job run", "digest", "still running". */
  readonly kind: string;
  /** The message as an EMAIL subscriber received it (RFC 5322 text). */
  readonly email?: string;
  /** The text a Slack subscriber's channel showed (mrkdwn). */
  readonly slack?: string;
  /** Where it came from: the emulator's message log, or a claim (real ONS keeps no log). */
  readonly source: "message log" | "claim";
  /** For claims: the announcement's platform, key and status. */
  readonly claim?: { readonly platformId: string; readonly key: string; readonly status: string; readonly digest: boolean };
}

export interface HeldBack {
  readonly platformId: string;
  readonly key: string;
  readonly status: string;
  readonly reason: string;
}

export interface BudgetView {
  readonly perMinute: number;
  /** Publishes granted in the last 60 s, per the shared budget object. */
  readonly usedLastMinute?: number;
}

export interface ArchivedOutput {
  readonly manifest: string;
  /** Console URL of the viewer (`index.html`), when one was written. */
  readonly viewerUrl?: string;
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly taskRunKey: string;
  readonly taskRunName: string | null;
  readonly jobRunKey: string | null;
  readonly taskRunStatus: string | null;
  readonly outputKey: string | null;
  readonly version: number | null;
  readonly exportedAt: string;
  readonly parts: number;
  readonly failedParts: number;
  readonly bytes: number;
  readonly isTruncated: boolean;
  readonly complete: boolean;
  readonly types: readonly string[];
}

export interface ConsoleSnapshot {
  /** "local stack" or "deployment (read-only)". */
  readonly mode: string;
  readonly generatedAt: string;
  readonly services: readonly ServiceStatus[];
  readonly platforms: readonly PlatformTimeline[];
  readonly inbox: readonly InboxMessage[];
  readonly heldBack: readonly HeldBack[];
  readonly budget: BudgetView;
  readonly outputs: readonly ArchivedOutput[];
}
