/**
 * A Jupyter notebook (`.ipynb`, nbformat 4) rendered readable without
 * Jupyter: markdown cells as text, code cells with their source and outputs
 * (streams, text, PNG/JPEG/SVG images as `<img>`, HTML in a sandboxed frame,
 * errors without ANSI codes). Nothing from the notebook is ever inserted as
 * markup except through `escapeHtml` or a sandboxed `srcdoc`; image data is
 * used only when it is plain base64 (so it can't end the `src` attribute).
 */
import * as z from "../schema/zod.js";
import { escapeHtml, stripAnsi } from "./html-text.js";

const multiline = z.union([z.string(), z.array(z.string())]);
const OutputSchema = z.looseObject({
  output_type: z.string(),
  name: z.optional(z.string()),
  text: z.optional(multiline),
  data: z.optional(z.record(z.string(), z.unknown())),
  ename: z.optional(z.string()),
  evalue: z.optional(z.string()),
  traceback: z.optional(z.array(z.string())),
});
const CellSchema = z.looseObject({
  cell_type: z.string(),
  source: z.optional(multiline),
  execution_count: z.optional(z.nullable(z.number())),
  outputs: z.optional(z.array(OutputSchema)),
});
const NotebookSchema = z.looseObject({ cells: z.array(CellSchema) });

type Output = z.infer<typeof OutputSchema>;

const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

function joined(v: string | readonly string[] | undefined | unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === "string").join("");
  return "";
}

function image(mime: string, data: string): string {
  const compact = data.replace(/\s+/g, "");
  return BASE64.test(compact)
    ? `<img class="nb-img" alt="notebook output (${escapeHtml(mime)})" src="data:${mime};base64,${compact}">`
    : "";
}

export function sandboxedFrame(html: string, title: string): string {
  // sandbox="" : no scripts, no forms, no top navigation, a unique origin; the
  // page's CSP (no network) applies to srcdoc documents as well.
  return `<iframe class="html-frame" sandbox="" referrerpolicy="no-referrer" title="${escapeHtml(title)}" srcdoc="${escapeHtml(html)}"></iframe>`;
}

function outputHtml(o: Output): string {
  if (o.output_type === "stream") return `<pre class="nb-stream">${escapeHtml(joined(o.text))}</pre>`;
  if (o.output_type === "error") {
    const trace = (o.traceback ?? []).map(stripAnsi).join("\n");
    return `<pre class="nb-error">${escapeHtml(`${o.ename ?? "Error"}: ${o.evalue ?? ""}\n${trace}`)}</pre>`;
  }
  const data = o.data ?? {};
  if (typeof data["image/png"] === "string") return image("image/png", data["image/png"]);
  if (typeof data["image/jpeg"] === "string") return image("image/jpeg", data["image/jpeg"]);
  const svg = joined(data["image/svg+xml"]);
  if (svg) return image("image/svg+xml", Buffer.from(svg, "utf8").toString("base64"));
  const html = joined(data["text/html"]);
  if (html) return sandboxedFrame(html, "notebook HTML output");
  const text = joined(data["text/plain"]);
  if (text) return `<pre class="nb-text">${escapeHtml(text)}</pre>`;
  return `<p class="muted">(output of type ${escapeHtml(o.output_type)} with ${escapeHtml(Object.keys(data).join(", ") || "no data")})</p>`;
}

/** The notebook as HTML, or `undefined` when `text` is not a notebook (shown as text instead). */
export function notebookHtml(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const nb = NotebookSchema.safeParse(json);
  if (!nb.success) return undefined;
  const cells = nb.data.cells.map((cell) => {
    const source = joined(cell.source);
    if (cell.cell_type === "markdown") return `<div class="nb-cell nb-md"><pre>${escapeHtml(source)}</pre></div>`;
    if (cell.cell_type !== "code") return `<div class="nb-cell nb-raw"><pre>${escapeHtml(source)}</pre></div>`;
    const count = cell.execution_count == null ? " " : String(cell.execution_count);
    const outputs = (cell.outputs ?? []).map(outputHtml).join("\n");
    return `<div class="nb-cell nb-code"><div class="nb-in"><span class="nb-prompt">In [${escapeHtml(count)}]:</span><pre><code>${escapeHtml(source)}</code></pre></div>${outputs ? `<div class="nb-out">${outputs}</div>` : ""}</div>`;
  });
  return `<div class="notebook">${cells.join("\n") || '<p class="muted">(empty notebook)</p>'}</div>`;
}
