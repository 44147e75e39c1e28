/**
 * The archive viewer: one self-contained `index.html` written beside an
 * output's `manifest.json`. Pure (no I/O): the caller reads what to embed.
 *
 * Self-contained because it must open alike from a bucket, a downloaded file
 * or a pre-authenticated link to this one object (which reaches no sibling):
 * styles are inline, images and PDFs are data URIs, and the
 * Content-Security-Policy forbids every fetch (`default-src 'none'`), scripts
 * included, so even a part that escaped escaping could not phone home.
 * Escaping (html-text.ts) is the safety property; the CSP is the second line.
 */
import type { Manifest, ManifestPart } from "../export/manifest.js";
import { escapeHtml, humanBytes, siblingHref } from "./html-text.js";
import { notebookHtml, sandboxedFrame } from "./notebook-view.js";
import { DEFAULT_PREVIEW_LIMITS, partBodyHtml, type PreviewLimits } from "./part-view.js";
import { VIEWER_CSS } from "./viewer-styles.js";

export const VIEWER_FILE = "index.html";

export const VIEWER_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; object-src data:; frame-src 'none'; base-uri 'none'; form-action 'none'";

/** What the caller could read of a part for embedding. */
export interface EmbeddedContent {
  readonly body?: Uint8Array | undefined;
  /** Why it is not embedded (too large, unreadable…). */
  readonly omitted?: string | undefined;
}

/** AIDP's own rendering of the output (`exportTaskRunOutput`), archived beside the manifest. */
export interface ViewerRendering {
  readonly format: "HTML" | "IPYNB";
  /** Object name of the archived rendering. */
  readonly object?: string | undefined;
  readonly content?: string | undefined;
  /** Why there is none (AIDP refused, unreachable…). */
  readonly error?: string | undefined;
}

export interface ViewerInput {
  readonly manifest: Manifest;
  /** Embedded bodies by part index (archived parts). */
  readonly contents: ReadonlyMap<number, EmbeddedContent>;
  readonly renderings: readonly ViewerRendering[];
  readonly limits?: PreviewLimits;
}

function fact(label: string, value: string | null | undefined, mono = false): string {
  if (value === null || value === undefined || value === "") return "";
  const v = escapeHtml(value);
  return `<dt>${escapeHtml(label)}</dt><dd>${mono ? `<code>${v}</code>` : v}</dd>`;
}

function encodingLine(p: ManifestPart): string {
  const bits = [
    p.isBase64 === null ? undefined : p.isBase64 ? "base64" : "plain string",
    p.compression ? `compression ${p.compression}` : undefined,
    p.charset ? `charset ${p.charset}` : undefined,
    p.declaredLength === null ? undefined : `declared length ${p.declaredLength}`,
  ].filter((b): b is string => b !== undefined);
  return bits.join(", ");
}

function warningsHtml(p: ManifestPart): string {
  if (p.warnings.length === 0) return "";
  const items = p.warnings.map((w) => `<li><code>${escapeHtml(w.code)}</code> ${escapeHtml(w.message)}</li>`).join("");
  return `<div class="banner warn" role="note"><strong>Decoder warnings</strong><ul class="warnings">${items}</ul></div>`;
}

function partHtml(p: ManifestPart, contents: ReadonlyMap<number, EmbeddedContent>, limits: PreviewLimits): string {
  const id = `part-${p.index}`;
  const heading = `<h2 id="${id}-title">Part ${p.index} · <code>${escapeHtml(p.type)}</code> ${p.status === "archived" ? '<span class="badge ok">archived</span>' : '<span class="badge bad">not decoded</span>'}</h2>`;
  if (p.status === "failed") {
    const raw = p.undecoded
      ? `${fact("raw value kept as", p.undecoded.object, true)}${fact("raw size", `${humanBytes(p.undecoded.bytes)} (${p.undecoded.bytes} bytes)`)}${fact("raw SHA-256", p.undecoded.sha256, true)}`
      : fact("raw value", "none (the part had no value)");
    const link = p.undecoded ? `<p><a href="${escapeHtml(siblingHref(p.undecoded.object))}">open the raw value</a></p>` : "";
    return `<section class="part" id="${id}" aria-labelledby="${id}-title">${heading}<div class="banner bad" role="note"><strong>Decode error</strong> <code>${escapeHtml(p.error.code)}</code> (${escapeHtml(p.error.name)}): ${escapeHtml(p.error.message)}</div><dl class="facts">${raw}${fact("encoding", encodingLine(p))}</dl>${link}${warningsHtml(p)}</section>`;
  }
  const c = contents.get(p.index) ?? { omitted: "Not embedded in this page." };
  const facts = `<dl class="facts">${fact("object", p.object, true)}${fact("content type", p.contentType)}${fact("size", `${humanBytes(p.bytes)} (${p.bytes.toLocaleString("en")} bytes)`)}<dt>SHA-256</dt><dd><code class="sha">${escapeHtml(p.sha256)}</code></dd>${fact("encoding", encodingLine(p))}</dl>`;
  const body = partBodyHtml(
    { type: p.type, object: p.object, contentType: p.contentType, bytes: p.bytes, body: c.body, omitted: c.omitted },
    limits,
  );
  return `<section class="part" id="${id}" aria-labelledby="${id}-title">${heading}${facts}${warningsHtml(p)}<div class="part-body">${body}</div></section>`;
}

function renderingHtml(r: ViewerRendering, i: number): string {
  const id = `rendering-${i}`;
  const title = `<h2 id="${id}-title">As AIDP renders it (${r.format})</h2>`;
  if (r.content === undefined)
    return `<section class="rendering" id="${id}" aria-labelledby="${id}-title">${title}<p class="note">Not available: ${escapeHtml(r.error ?? "AIDP returned nothing")}</p></section>`;
  const link = r.object ? `<p><a href="${escapeHtml(siblingHref(r.object))}">open the archived rendering</a></p>` : "";
  const body =
    r.format === "HTML"
      ? sandboxedFrame(r.content, "AIDP's HTML rendering of this output")
      : (notebookHtml(r.content) ?? `<pre class="text">${escapeHtml(r.content.slice(0, DEFAULT_PREVIEW_LIMITS.textChars))}</pre>`);
  return `<section class="rendering" id="${id}" aria-labelledby="${id}-title">${title}${body}${link}</section>`;
}

export function renderViewer(input: ViewerInput): string {
  const m = input.manifest;
  const limits = input.limits ?? DEFAULT_PREVIEW_LIMITS;
  const name = m.taskRunName ?? m.taskRunKey;
  const title = `${name} · output ${m.outputKey ?? "(none)"}${m.version === null ? "" : ` v${m.version}`}`;
  const failed = m.parts.filter((p) => p.status === "failed").length;
  const banners = [
    m.isTruncated
      ? '<div class="banner warn" role="note"><strong>Truncated.</strong> AIDP marked this output as truncated (<code>isTruncated</code>): what is archived is what AIDP kept, not everything the task printed.</div>'
      : "",
    failed > 0
      ? `<div class="banner bad" role="note"><strong>${failed} of ${m.parts.length} parts could not be decoded.</strong> Their raw values are kept; see below.</div>`
      : "",
    m.errorTrace ? `<div class="banner bad" role="note"><strong>Error trace</strong><pre>${escapeHtml(m.errorTrace)}</pre></div>` : "",
  ].join("");
  const facts = [
    fact("task run", m.taskRunName ? `${m.taskRunName} (${m.taskRunKey})` : m.taskRunKey),
    fact("task run status", m.taskRunStatus),
    fact("task type", m.taskType),
    fact("job run", m.jobRunKey),
    fact("workspace", m.workspaceKey),
    fact("platform", m.platformId, true),
    fact("output key", m.outputKey),
    fact("version", m.version === null ? "unversioned" : String(m.version)),
    fact("exported at", m.exportedAt),
    fact("truncated", m.isTruncated ? "yes" : "no"),
    fact("complete", m.complete ? "yes: every part archived" : `no: ${failed} part(s) not decoded`),
  ].join("");
  const params =
    m.outputParameters.length === 0
      ? ""
      : `<h2>Output parameters</h2><div class="table-wrap"><table><thead><tr><th scope="col">name</th><th scope="col">value</th></tr></thead><tbody>${m.outputParameters
          .map(
            (p) =>
              `<tr><td>${escapeHtml(p.name)}</td><td>${p.value === null ? '<span class="muted">null</span>' : escapeHtml(p.value)}</td></tr>`,
          )
          .join("")}</tbody></table></div>`;
  const toc = m.parts
    .map(
      (p) =>
        `<li><a href="#part-${p.index}">Part ${p.index} · ${escapeHtml(p.type)}</a>${p.status === "failed" ? " (not decoded)" : ""}</li>`,
    )
    .join("");
  const renderings = input.renderings.map(renderingHtml).join("\n");
  const tocRenderings = input.renderings.map((r, i) => `<li><a href="#rendering-${i}">As AIDP renders it (${r.format})</a></li>`).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${VIEWER_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — aidp-watch archive</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<main>
<p class="muted">aidp-watch archive · <a href="./manifest.json">manifest.json</a></p>
<h1>${escapeHtml(title)}</h1>
${banners}
<dl class="facts">${facts}</dl>
${params}
<nav class="toc" aria-label="Parts"><h2>Contents</h2><ol>${toc}${tocRenderings}</ol></nav>
${m.parts.map((p) => partHtml(p, input.contents, limits)).join("\n")}
${renderings}
</main>
</body>
</html>
`;
}
