/**
 * The terminal state of a job run, announced once by the sweep's export
 * discovery when the job run is finished and all its task-run outputs are
 * archived: what each task run left, with a link to its archived manifest.
 */
import type { RenderOptions, RenderedMessage } from "./announcement.js";
import { durationMs, formatDuration, formatTime } from "./format-values.js";
import { clipChars, MAX_MESSAGE_BYTES, MAX_TITLE_CHARS, messageBytes, oneLine, truncationMarker } from "./message-size.js";
import { fitText } from "./render-body.js";

export interface ArchivedManifestRef {
  readonly bucket: string;
  /** Object name of the manifest. */
  readonly object: string;
  /** Object Storage namespace, when known: the reference is then `oci://bucket@namespace/object`. */
  readonly namespace?: string | undefined;
  /** A read-only link to the output's viewer (`index.html`), when links are enabled (AIDP_WATCH_VIEWER_LINK_HOURS). */
  readonly viewerUrl?: string | undefined;
  /** Why no viewer link could be made, when links are enabled. */
  readonly viewerLinkError?: string | undefined;
}

export interface TaskRunNotice {
  readonly key: string;
  readonly name?: string | undefined;
  readonly status?: string | undefined;
  /** One per archived output key; empty when the task run left no output. */
  readonly manifests: readonly ArchivedManifestRef[];
  /** Why the archive could not be read back (the export itself succeeded). */
  readonly error?: string | undefined;
}

export interface JobRunNotice {
  readonly platformId: string;
  readonly workspaceKey: string;
  readonly jobRunKey: string;
  readonly jobName?: string | undefined;
  readonly jobKey?: string | undefined;
  readonly status: string;
  /** ISO times. */
  readonly timeStarted?: string | undefined;
  readonly timeFinished?: string | undefined;
  readonly taskRuns: readonly TaskRunNotice[];
}

/** The claim key of a job run (`announcements/<platformId>/jobrun%3A<key>/<status>.json`). */
export function jobRunClaimKey(jobRunKey: string): string {
  return `jobrun:${jobRunKey}`;
}

/** `platform/jobrun:<jobRunKey>/status`, in the same shape as operations' dedupe keys. */
export function jobRunDedupeKey(n: Pick<JobRunNotice, "platformId" | "jobRunKey" | "status">): string {
  return `${n.platformId}/${jobRunClaimKey(n.jobRunKey)}/${n.status}`;
}

export function manifestReference(m: ArchivedManifestRef): string {
  return m.namespace ? `oci://${m.bucket}@${m.namespace}/${m.object}` : `${m.object} (bucket ${m.bucket})`;
}

/** `SUCCESS · JOB_RUN · nightly`: at most 100 characters, one line; the job name gives way first. */
export function renderJobRunTitle(n: JobRunNotice): string {
  const prefix = clipChars(oneLine(`${n.status} · JOB_RUN`), MAX_TITLE_CHARS);
  const name = oneLine(n.jobName || n.jobKey || n.jobRunKey);
  const room = MAX_TITLE_CHARS - prefix.length - 3;
  if (room < 2 || name === "") return prefix;
  return `${prefix} · ${clipChars(name, room)}`;
}

function line(label: string, value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : `${`${label}:`.padEnd(15)}${value}`;
}

function taskRunLines(t: TaskRunNotice): string[] {
  const head = `- ${t.name ? `${t.name} (${t.key})` : t.key}: ${t.status ?? "UNKNOWN"}`;
  if (t.error) return [head, `    error: ${t.error}`];
  if (t.manifests.length === 0) return [head, "    no output"];
  return [
    head,
    ...t.manifests.flatMap((m) => [
      `    manifest: ${manifestReference(m)}`,
      ...(m.viewerUrl ? [`    viewer:   ${m.viewerUrl}`] : []),
      ...(m.viewerLinkError ? [`    viewer:   no link (${m.viewerLinkError})`] : []),
    ]),
  ];
}

export function jobRunTextBody(n: JobRunNotice, options: Pick<RenderOptions, "displayTimeZone"> = {}): string {
  const ms = durationMs(n.timeStarted, n.timeFinished);
  const job = n.jobName && n.jobKey && n.jobName !== n.jobKey ? `${n.jobName} (${n.jobKey})` : n.jobName || n.jobKey;
  const lines = [
    `Job run ${n.jobName || n.jobRunKey} finished: ${n.status}.`,
    "",
    line("Status", n.status),
    line("Job", job),
    line("Job run", n.jobRunKey),
    line("Workspace", n.workspaceKey),
    line("Platform", n.platformId),
    line("Started", formatTime(n.timeStarted, options.displayTimeZone)),
    line("Finished", formatTime(n.timeFinished, options.displayTimeZone)),
    line("Duration", ms === undefined ? undefined : formatDuration(ms)),
    line("Dedupe key", jobRunDedupeKey(n)),
    "",
    `Task runs (${n.taskRuns.length}):`,
    ...n.taskRuns.flatMap(taskRunLines),
  ];
  return lines.filter((l): l is string => l !== undefined).join("\n");
}

function jsonDocument(n: JobRunNotice, taskRuns: readonly TaskRunNotice[], omitted: number): Record<string, unknown> {
  return {
    type: "aidp-watch.job-run",
    version: 1,
    status: n.status,
    jobName: n.jobName,
    jobKey: n.jobKey,
    jobRunKey: n.jobRunKey,
    workspaceKey: n.workspaceKey,
    platformId: n.platformId,
    timeStarted: formatTime(n.timeStarted),
    timeFinished: formatTime(n.timeFinished),
    durationMs: durationMs(n.timeStarted, n.timeFinished),
    dedupeKey: jobRunDedupeKey(n),
    taskRuns: taskRuns.map((t) => ({
      key: t.key,
      name: t.name,
      status: t.status,
      error: t.error,
      manifests: t.manifests.map((m) => ({
        bucket: m.bucket,
        namespace: m.namespace,
        object: m.object,
        reference: manifestReference(m),
        viewerUrl: m.viewerUrl,
      })),
    })),
    ...(omitted > 0 ? { omittedTaskRuns: omitted, note: truncationMarker(omitted) } : {}),
    truncated: omitted > 0,
  };
}

/**
 * JSON stays parseable: task runs are dropped from the end (counted in
 * `omittedTaskRuns`) until the message fits; if even none fits (huge names),
 * a minimal document with the dedupe key is sent.
 */
function fitJobRunJson(title: string, n: JobRunNotice, maxBytes: number): RenderedMessage {
  let kept = n.taskRuns.length;
  let body = JSON.stringify(jsonDocument(n, n.taskRuns, 0));
  if (messageBytes(title, body) <= maxBytes) return { title, body, truncated: false };
  // Binary search on how many task runs fit.
  let lo = 0;
  let hi = kept - 1;
  let best: string | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const candidate = JSON.stringify(jsonDocument(n, n.taskRuns.slice(0, mid), n.taskRuns.length - mid));
    if (messageBytes(title, candidate) <= maxBytes) {
      best = candidate;
      kept = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  body =
    best ??
    JSON.stringify({
      type: "aidp-watch.job-run",
      version: 1,
      status: n.status.slice(0, 200),
      dedupeKey: jobRunDedupeKey(n).slice(0, 2000),
      omittedTaskRuns: n.taskRuns.length,
      truncated: true,
      note: truncationMarker(Buffer.byteLength(body)),
    });
  return { title, body, truncated: true };
}

/**
 * A job run's terminal state as an ONS message (`AIDP_WATCH_MESSAGE_FORMAT`
 * text or json), within ONS's 64 KB: text is cut at the end (the task-run
 * list) with the "[truncated: …]" marker; JSON drops task runs from the end.
 */
export function renderJobRun(
  n: JobRunNotice,
  options: Pick<RenderOptions, "format" | "displayTimeZone">,
  maxBytes = MAX_MESSAGE_BYTES,
): RenderedMessage {
  const title = renderJobRunTitle(n);
  return options.format === "json" ? fitJobRunJson(title, n, maxBytes) : fitText(title, jobRunTextBody(n, options), maxBytes);
}
