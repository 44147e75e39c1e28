/**
 * One thing to tell subscribers about one operation: it reached a terminal
 * status, or aidp-watch itself says it is still running (STILL_RUNNING), lost
 * (LOST: AIDP keeps answering 404) or given up (GAVE_UP: older than the
 * maximum age).
 */
import type { OperationSnapshot } from "../watch/operation.js";

export interface Announcement {
  readonly platformId: string;
  /** A terminal AIDP status (any value but IN_PROGRESS), or STILL_RUNNING / LOST / GAVE_UP. */
  readonly status: string;
  readonly operation: OperationSnapshot;
  /** `opc-request-id`s of the AIDP calls that reported this state. */
  readonly opcRequestIds: readonly string[];
  /** When aidp-watch first saw the operation (ISO), for durations when AIDP gave no start time. */
  readonly firstSeenAt?: string | undefined;
  /** 404s in a row (LOST). */
  readonly notFoundCount?: number | undefined;
  /** When this announcement was decided (epoch ms): "running for" is measured to it. */
  readonly decidedAtMs: number;
}

/** `platform/operation/status`: the same for every message about the same state, so subscribers can drop repeats. */
export function dedupeKey(a: Pick<Announcement, "platformId" | "status"> & { readonly operation: { readonly key: string } }): string {
  return `${a.platformId}/${a.operation.key}/${a.status}`;
}

export interface RenderOptions {
  /** `text` for people (email, Slack), `json` for machine subscribers. */
  readonly format: "text" | "json";
  /** IANA zone shown next to UTC times. */
  readonly displayTimeZone?: string | undefined;
  /** Placeholders {platformId} {operationKey} {region}. */
  readonly consoleUrlTemplate?: string | undefined;
  readonly region?: string | undefined;
}

export interface RenderedMessage {
  readonly title: string;
  readonly body: string;
  /** True when something was cut to fit ONS's size limit (the body then says so). */
  readonly truncated: boolean;
}
