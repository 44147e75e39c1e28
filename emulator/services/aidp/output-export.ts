/**
 * ExportTaskRunOutput rendering for the emulator: an HTML page (images
 * inlined as data URIs) or a Jupyter notebook. Deliberately simple — it is
 * not the project's decoder (that lives in shared/): parts compressed with
 * COMPRESS or BZIP2, which Node can't inflate, are shown as a placeholder.
 */
import { gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import type { RunOutputData, TaskRunOutputSeed } from "./seeds.js";

export type ExportFormat = "HTML" | "IPYNB";

const TEXT_TYPES = new Set(["TEXT_PLAIN", "TEXT_HTML", "IMAGE_SVG", "APPLICATION_JSON", "NOTEBOOK", "FILE_PATH", "NOTEBOOK_PATH"]);
const IMAGE_MIME: Record<string, string> = { IMAGE_PNG: "image/png", IMAGE_JPEG: "image/jpeg", IMAGE_SVG: "image/svg+xml" };

/** Payload bytes after base64 and decompression, or undefined when the emulator can't inflate it. */
function payload(part: RunOutputData): Buffer | undefined {
  const raw = part.isBase64 ? Buffer.from(part.value ?? "", "base64") : Buffer.from(part.value ?? "", "utf8");
  switch (part.compression) {
    case undefined:
      return raw;
    case "GZIP":
      return gunzipSync(raw);
    case "DEFLATE":
      try {
        return inflateSync(raw);
      } catch {
        return inflateRawSync(raw);
      }
    default:
      return undefined;
  }
}

function text(part: RunOutputData, bytes: Buffer): string {
  if (part.charset !== "UTF_16") return bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  const be = bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2) : bytes;
  const le = Buffer.from(be);
  le.swap16();
  return le.toString("utf16le");
}

const escapeHtml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

function htmlOf(part: RunOutputData): string {
  const bytes = safePayload(part);
  if (!bytes)
    return `<p class="unrendered">[${escapeHtml(part.type)} part, ${escapeHtml(part.compression ?? "")} compressed: not rendered]</p>`;
  const mime = IMAGE_MIME[part.type];
  if (mime) return `<img alt="${part.type}" src="data:${mime};base64,${bytes.toString("base64")}">`;
  if (part.type === "TEXT_HTML") return `<div>${text(part, bytes)}</div>`;
  if (part.type === "APPLICATION_PDF")
    return `<embed type="application/pdf" src="data:application/pdf;base64,${bytes.toString("base64")}">`;
  if (TEXT_TYPES.has(part.type)) return `<pre>${escapeHtml(text(part, bytes))}</pre>`;
  return `<p>[${escapeHtml(part.type)} part, ${bytes.length} bytes]</p>`;
}

function notebookOutput(part: RunOutputData): Record<string, unknown> {
  const bytes = safePayload(part);
  if (!bytes)
    return { output_type: "stream", name: "stdout", text: [`[${part.type} part, ${part.compression} compressed: not rendered]\n`] };
  const mime = IMAGE_MIME[part.type];
  if (mime && part.type !== "IMAGE_SVG") return { output_type: "display_data", metadata: {}, data: { [mime]: bytes.toString("base64") } };
  if (part.type === "APPLICATION_PDF")
    return { output_type: "display_data", metadata: {}, data: { "application/pdf": bytes.toString("base64") } };
  const t = text(part, bytes);
  if (part.type === "IMAGE_SVG") return { output_type: "display_data", metadata: {}, data: { "image/svg+xml": t } };
  if (part.type === "TEXT_HTML") return { output_type: "display_data", metadata: {}, data: { "text/html": t } };
  if (part.type === "APPLICATION_JSON") return { output_type: "display_data", metadata: {}, data: { "text/plain": t } };
  return { output_type: "stream", name: "stdout", text: [t] };
}

export function exportOutput(
  output: TaskRunOutputSeed,
  opts: { taskRunName: string; taskRunKey: string; outputKey: string; format: ExportFormat },
) {
  const base = `/Workspace/.exports/${opts.taskRunKey}/${opts.outputKey}`;
  if (opts.format === "HTML") {
    const body = output.data.map(htmlOf).join("\n");
    const title = escapeHtml(opts.taskRunName);
    const content = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n${body}\n</body></html>\n`;
    return { name: `${opts.taskRunName}.html`, path: `${base}.html`, content, format: "HTML" as const };
  }
  // A notebook part is already a notebook: export it as is.
  const nbPart = output.data.find((p) => p.type === "NOTEBOOK");
  const nbBytes = nbPart ? safePayload(nbPart) : undefined;
  const content =
    nbPart && nbBytes
      ? text(nbPart, nbBytes)
      : `${JSON.stringify(
          {
            cells: [{ cell_type: "code", execution_count: 1, metadata: {}, source: [], outputs: output.data.map(notebookOutput) }],
            metadata: { language_info: { name: "python" } },
            nbformat: 4,
            nbformat_minor: 5,
          },
          null,
          1,
        )}\n`;
  return { name: `${opts.taskRunName}.ipynb`, path: `${base}.ipynb`, content, format: "IPYNB" as const };
}

function safePayload(part: RunOutputData): Buffer | undefined {
  try {
    return payload(part);
  } catch {
    return undefined;
  }
}
