/**
 * Writes the archive viewer (`index.html`, shared/viewer/) beside the
 * manifest, before it: the manifest stays the commit marker, so a viewer
 * without a manifest is, like the parts, an incomplete export. The viewer is
 * rewritten unconditionally: it is derived data, and two exporters of the
 * same version write equivalent pages.
 *
 * Its bodies are read back from the bucket (the parts were just written and
 * verified), within budgets so a huge output can't make a huge page: a part
 * larger than `maxEmbedPartBytes`, or past `maxEmbedTotalBytes` in all, is
 * linked instead of embedded.
 *
 * AIDP's own rendering (`exportTaskRunOutput`: HTML, and IPYNB for notebook
 * tasks) is archived beside it (`aidp-rendering.html` / `.ipynb`) and shown.
 * It is a convenience: when AIDP refuses or fails, the viewer says so and the
 * export goes on (its data is the parts, already archived).
 */
import type { AidpClient } from "../aidp/aidp-client.js";
import { renderingText } from "../aidp/workflow-schema.js";
import { describeError } from "../errors/aidp-watch-error.js";
import type { Logger } from "../log/logger.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import { type EmbeddedContent, renderViewer, VIEWER_FILE, type ViewerRendering } from "../viewer/viewer-page.js";
import type { ArchiveLayout } from "./archive-layout.js";
import type { Manifest } from "./manifest.js";

export interface ViewerBudget {
  /** @default 4 MiB */
  readonly maxEmbedPartBytes: number;
  /** @default 16 MiB */
  readonly maxEmbedTotalBytes: number;
}

export const DEFAULT_VIEWER_BUDGET: ViewerBudget = { maxEmbedPartBytes: 4 * 1024 * 1024, maxEmbedTotalBytes: 16 * 1024 * 1024 };

export type RenderingAidp = Partial<Pick<AidpClient, "exportTaskRunOutput">>;

export interface WriteViewerInput {
  readonly store: ObjectStore;
  /** The AIDP client when it can render outputs (the export's client); absent in tests that don't. */
  readonly aidp: RenderingAidp;
  readonly layout: ArchiveLayout;
  readonly manifest: Manifest;
  readonly deadline: Deadline;
  readonly logger: Logger;
  readonly budget?: ViewerBudget;
}

async function embedded(input: WriteViewerInput): Promise<Map<number, EmbeddedContent>> {
  const budget = input.budget ?? DEFAULT_VIEWER_BUDGET;
  const contents = new Map<number, EmbeddedContent>();
  let total = 0;
  for (const p of input.manifest.parts) {
    if (p.status !== "archived") continue;
    if (p.bytes > budget.maxEmbedPartBytes) {
      contents.set(p.index, { omitted: `Too large to embed (${p.bytes} bytes; the page embeds parts up to ${budget.maxEmbedPartBytes}).` });
      continue;
    }
    if (total + p.bytes > budget.maxEmbedTotalBytes) {
      contents.set(p.index, {
        omitted: `Not embedded: the page already holds ${total} bytes of parts (limit ${budget.maxEmbedTotalBytes}).`,
      });
      continue;
    }
    const obj = await input.store.get(p.object, { deadline: input.deadline });
    if (!obj) {
      contents.set(p.index, { omitted: "The part could not be read back for this page." });
      continue;
    }
    total += obj.body.length;
    contents.set(p.index, { body: obj.body });
  }
  return contents;
}

function outputBytes(m: Manifest): number {
  return m.parts.reduce((n, p) => n + (p.status === "archived" ? p.bytes : (p.undecoded?.bytes ?? 0)), 0);
}

async function rendering(input: WriteViewerInput, format: "HTML" | "IPYNB"): Promise<ViewerRendering> {
  const { manifest: m, aidp } = input;
  if (aidp.exportTaskRunOutput === undefined) return { format, error: "this exporter cannot ask AIDP to render outputs" };
  if (m.outputKey === null) return { format, error: "the output has no key to ask AIDP for" };
  // AIDP's rendering inlines every part (base64 images and all): for a large
  // output it would be a response, an object and a page larger than the parts.
  const budget = input.budget ?? DEFAULT_VIEWER_BUDGET;
  const size = outputBytes(m);
  if (size > budget.maxEmbedTotalBytes)
    return { format, error: `not requested: the output holds ${size} bytes, more than the page embeds (${budget.maxEmbedTotalBytes})` };
  const object = `${input.layout.versionPrefix}aidp-rendering.${format === "HTML" ? "html" : "ipynb"}`;
  let content: string;
  try {
    const read = renderingText(
      (await aidp.exportTaskRunOutput(m.platformId, m.workspaceKey, m.taskRunKey, m.outputKey, { format }, { deadline: input.deadline }))
        .data,
    );
    if ("problem" in read) {
      // A 200 of an unexpected shape (the SDK types `content` as `any`): said in the viewer, the parts still archived.
      input.logger.warn("AIDP's rendering is not text; the viewer shows the parts only", { format, problem: read.problem });
      return { format, error: read.problem };
    }
    content = read.text;
  } catch (err) {
    // Why an AIDP failure is not fatal: the rendering is AIDP's view of data
    // already archived in the parts. The deadline still stops the export, and
    // a failing write below fails it like any other write.
    if (input.deadline.expired) throw err;
    input.logger.warn("AIDP could not render the output; the viewer shows the parts only", { error: err, format });
    return { format, error: describeError(err) };
  }
  await input.store.put(object, content, {
    contentType: format === "HTML" ? "text/html; charset=utf-8" : "application/x-ipynb+json",
    deadline: input.deadline,
  });
  return { format, object, content };
}

/** Writes `aidp-rendering.*` and `index.html`; returns the viewer's object name. */
export async function writeViewer(input: WriteViewerInput): Promise<string> {
  // An exporter whose AIDP port can't render (unit tests' fakes) shows no rendering section at all.
  const renderings = input.aidp.exportTaskRunOutput === undefined ? [] : [await rendering(input, "HTML")];
  if (renderings.length > 0 && input.manifest.taskType === "NOTEBOOK_TASK") renderings.push(await rendering(input, "IPYNB"));
  const html = renderViewer({ manifest: input.manifest, contents: await embedded(input), renderings });
  const name = `${input.layout.versionPrefix}${VIEWER_FILE}`;
  await input.store.put(name, html, { contentType: "text/html; charset=utf-8", deadline: input.deadline });
  return name;
}
