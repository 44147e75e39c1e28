/**
 * The body of one archived part in the viewer, by type: text (a table when it
 * is CSV/TSV), JSON pretty-printed, HTML in a sandboxed frame, images inline
 * (SVG too, as an `<img>`, never as inline markup: an `<img>` runs no script),
 * PDF embedded with a download link, notebooks rendered, anything else a link.
 * `body` is absent when the part was too large to embed: the link remains.
 */
import { contentKindOf } from "../decode/content-types.js";
import { csvPreview } from "./csv-preview.js";
import { escapeHtml, siblingHref } from "./html-text.js";
import { notebookHtml, sandboxedFrame } from "./notebook-view.js";

export interface PartBody {
  /** The type as AIDP sent it. */
  readonly type: string;
  readonly object: string;
  readonly contentType: string;
  readonly bytes: number;
  /** The decoded bytes, when embedded. */
  readonly body?: Uint8Array | undefined;
  /** Why the body is not embedded (shown to the reader). */
  readonly omitted?: string | undefined;
}

export interface PreviewLimits {
  /** Characters of text shown before "… (cut)". */
  readonly textChars: number;
  /** Rows of a CSV table shown (every row is counted). */
  readonly tableRows: number;
}

export const DEFAULT_PREVIEW_LIMITS: PreviewLimits = { textChars: 200_000, tableRows: 100 };

const IMAGE_MIME: Readonly<Record<string, string>> = { IMAGE_PNG: "image/png", IMAGE_JPEG: "image/jpeg", IMAGE_SVG: "image/svg+xml" };

function fullLink(p: PartBody, label = "open the full part"): string {
  return `<a href="${escapeHtml(siblingHref(p.object))}">${escapeHtml(label)}</a>`;
}

/** A download link carrying the bytes themselves: works where sibling objects can't be reached (one-object links). */
function downloadLink(p: PartBody, body: Uint8Array, mime: string): string {
  const name = p.object.slice(p.object.lastIndexOf("/") + 1);
  return `<a download="${escapeHtml(name)}" href="data:${mime};base64,${Buffer.from(body).toString("base64")}">download ${escapeHtml(name)}</a>`;
}

function textHtml(p: PartBody, text: string, limits: PreviewLimits): string {
  const cut = text.length > limits.textChars;
  const shown = cut ? text.slice(0, limits.textChars) : text;
  const note = cut
    ? `<p class="note">Showing the first ${limits.textChars.toLocaleString("en")} of ${text.length.toLocaleString("en")} characters — ${fullLink(p)}.</p>`
    : "";
  return `${note}<pre class="text">${escapeHtml(shown)}</pre>`;
}

function tableHtml(p: PartBody, text: string, limits: PreviewLimits): string | undefined {
  const csv = csvPreview(text, limits.tableRows);
  if (!csv) return undefined;
  const head = csv.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const rows = csv.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  const shown = Math.min(csv.rows.length, csv.rowCount);
  const what = csv.delimiter === "\t" ? "TSV" : "CSV";
  const summary = `<p class="note"><strong>${csv.rowCount.toLocaleString("en")} rows</strong> (${what}, ${csv.header.length} columns)${shown < csv.rowCount ? `; showing the first ${shown}` : ""} — ${fullLink(p)}.</p>`;
  return `${summary}<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(`${what} preview of ${p.object}`)}"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function jsonHtml(p: PartBody, text: string, limits: PreviewLimits): string {
  try {
    return textHtml(p, JSON.stringify(JSON.parse(text), null, 2), limits);
  } catch {
    return `<p class="note">Not valid JSON; shown as text.</p>${textHtml(p, text, limits)}`;
  }
}

export function partBodyHtml(p: PartBody, limits: PreviewLimits = DEFAULT_PREVIEW_LIMITS): string {
  const { body } = p;
  if (body === undefined) return `<p class="note">${escapeHtml(p.omitted ?? "Not embedded.")} ${fullLink(p)}.</p>`;
  const kind = contentKindOf(p.type);
  const image = IMAGE_MIME[p.type];
  if (image) {
    return `<figure><img class="part-img" alt="${escapeHtml(`${p.type} part ${p.object.slice(p.object.lastIndexOf("/") + 1)}`)}" src="data:${image};base64,${Buffer.from(body).toString("base64")}"></figure><p>${fullLink(p)}</p>`;
  }
  if (p.type === "APPLICATION_PDF") {
    const data = `data:application/pdf;base64,${Buffer.from(body).toString("base64")}`;
    return `<object class="pdf" type="application/pdf" data="${data}" aria-label="PDF document"><p class="note">This browser does not show PDFs inline.</p></object><p>${downloadLink(p, body, "application/pdf")} · ${fullLink(p)}</p>`;
  }
  if (!kind.known || !kind.kind.text)
    return `<p class="note">Binary part (${escapeHtml(p.contentType)}), not shown. ${downloadLink(p, body, "application/octet-stream")} · ${fullLink(p)}</p>`;
  const text = Buffer.from(body).toString("utf8");
  switch (p.type) {
    case "TEXT_HTML":
      return `${sandboxedFrame(text, `HTML part ${p.object}`)}<p class="note">Shown in a sandbox: no scripts, no network. ${fullLink(p)}</p>`;
    case "APPLICATION_JSON":
      return jsonHtml(p, text, limits);
    case "NOTEBOOK":
      return notebookHtml(text) ?? `<p class="note">Not a readable notebook; shown as text.</p>${textHtml(p, text, limits)}`;
    case "TEXT_PLAIN":
      return tableHtml(p, text, limits) ?? textHtml(p, text, limits);
    default:
      return textHtml(p, text, limits);
  }
}
