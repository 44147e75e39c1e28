import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleOutputsWithExpectations } from "../../../emulator/services/aidp/sample-outputs.js";
import { exportTaskRun } from "../../../shared/export/export-task-run.js";
import type { ExportSettings } from "../../../shared/export/export-settings.js";
import { parseManifest } from "../../../shared/export/manifest.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, startExportHarness, WS } from "./export-harness.js";

const settings: ExportSettings = { prefix: "outputs", limits: {} };

describe("export writes the archive viewer beside the manifest", () => {
  let h: ExportHarness;
  beforeAll(async () => {
    h = await startExportHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("index.html embeds every sample part, AIDP's HTML rendering, and is written before the manifest", async () => {
    const samples = sampleOutputsWithExpectations();
    const { taskRunKeys } = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "job-viewer",
      tasks: [{ name: "t", output: { data: samples.map((s) => s.part) as never, version: 1 } }],
    });
    const put: string[] = [];
    const store = h.outStore;
    const recording = Object.assign(Object.create(Object.getPrototypeOf(store)) as typeof store, store, {
      put: (name: string, ...rest: Parameters<typeof store.put> extends [string, ...infer R] ? R : never) => {
        put.push(name);
        return store.put(name, ...rest);
      },
    });
    const outcome = await exportTaskRun(
      { aidp: h.client, store: recording },
      settings,
      { platformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0]! },
      { deadline: Deadline.in(30_000) },
    );
    const viewerName = outcome.manifest!.replace(/manifest\.json$/, "index.html");
    expect(put.indexOf(viewerName)).toBeGreaterThanOrEqual(0);
    expect(put.indexOf(viewerName)).toBeLessThan(put.indexOf(outcome.manifest!));
    const viewer = h.os.getObject(OUT_BUCKET, viewerName)!;
    expect(viewer.contentType).toBe("text/html; charset=utf-8");
    const html = viewer.body.toString("utf8");
    const m = parseManifest(h.os.getObject(OUT_BUCKET, outcome.manifest!)!.body)!;
    for (const p of m.parts) {
      expect(p.status).toBe("archived");
      if (p.status === "archived") expect(html).toContain(p.sha256);
    }
    expect(html).toContain("data:image/png;base64,");
    expect(html).toContain("data:image/jpeg;base64,");
    expect(html).toContain("data:image/svg+xml;base64,");
    expect(html).toContain('<object class="pdf" type="application/pdf"');
    expect(html).toContain("As AIDP renders it (HTML)");
    const rendering = h.os.getObject(OUT_BUCKET, outcome.manifest!.replace(/manifest\.json$/, "aidp-rendering.html"));
    expect(rendering?.body.toString("utf8")).toMatch(/<html/);
  });

  it("a rendering whose content is not text (the SDK types it `any`) is named in the viewer; the export still completes", async () => {
    const { taskRunKeys } = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "job-viewer-odd",
      tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", value: "fine" }], version: 1 } }],
    });
    h.emu.faults.add({ route: "aidp.exportOutput", patchBody: { content: { cells: [] } }, times: 1 });
    const outcome = await exportTaskRun(
      { aidp: h.client, store: h.outStore },
      settings,
      { platformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0]! },
      { deadline: Deadline.in(30_000) },
    );
    expect(outcome.status).toBe("exported");
    expect(h.os.getObject(OUT_BUCKET, outcome.manifest!.replace(/manifest\.json$/, "aidp-rendering.html"))).toBeUndefined();
    const html = h.os.getObject(OUT_BUCKET, outcome.manifest!.replace(/manifest\.json$/, "index.html"))!.body.toString("utf8");
    expect(html).toContain("AIDP answered an object as content, not the rendering&#39;s text");
  });
});
