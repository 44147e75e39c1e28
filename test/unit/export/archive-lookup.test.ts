import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { archivedOutputs, isTaskRunArchived } from "../../../shared/export/archive-lookup.js";
import { exportTaskRun } from "../../../shared/export/export-task-run.js";
import { MemoryObjectStore } from "../../support/memory-object-store.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";
import { FakeExportAidp } from "../../support/fake-export-aidp.js";

const P = "ocid1.aidataplatform.oc1.iad.lookup";
const part = { type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: gzipSync(Buffer.from("x")).toString("base64") };

describe("archive lookup (links for notifications, discovery's skip check)", () => {
  it("finds one current.json per output key and the manifest it points to", async () => {
    const aidp = new FakeExportAidp().add({
      taskRun: { key: "tr", outputKey: "a" },
      outputs: { a: { data: [part], version: 2 }, b: { data: [part] } },
    });
    const store = new MemoryObjectStore("out");
    const ids = { platformId: P, workspaceKey: "ws", taskRunKey: "tr" };
    const deadline = Deadline.none();
    expect(await isTaskRunArchived(store, "outputs", ids, deadline)).toBe(false);
    const a = await exportTaskRun({ aidp, store, clock: new FakeClock() }, { prefix: "outputs", limits: {} }, ids, { deadline });
    const b = await exportTaskRun(
      { aidp, store, clock: new FakeClock() },
      { prefix: "outputs", limits: {} },
      { ...ids, outputKey: "b" },
      { deadline },
    );
    // A task run whose key is a prefix of this one's must not count.
    await store.put(`outputs/${P}/ws/tr-other/x/current.json`, "{}", { deadline });
    expect(await isTaskRunArchived(store, "outputs", ids, deadline)).toBe(true);
    expect(await archivedOutputs(store, "outputs", ids, deadline)).toEqual([
      { bucket: "out", current: a.current, manifest: a.manifest, version: 2 },
      { bucket: "out", current: b.current, manifest: b.manifest, version: null },
    ]);
  });
});
