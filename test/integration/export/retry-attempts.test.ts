import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExportIncompleteError } from "../../../shared/export/export-errors.js";
import { type ExportRequest, exportTaskRun } from "../../../shared/export/export-task-run.js";
import type { ExportSettings } from "../../../shared/export/export-settings.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { type ExportHarness, FAST_RETRIES, PLATFORM, startExportHarness, WS } from "./export-harness.js";

/**
 * No nested retries: the object store retries each request (`callWithRetry`,
 * `maxAttempts`), and nothing above it retries again. A part that keeps
 * failing is therefore sent exactly `maxAttempts` times, and a streamed part
 * is decoded twice (hash pass + upload pass), never once more per retry.
 */
const PART_SIZE = 16 * 1024;
// Parts above 1 KiB are streamed (second decode pass into putStream), not buffered.
const settings: ExportSettings = { prefix: "outputs", limits: {}, bufferPartBytes: 1024 };

describe("export retries: attempts per part", () => {
  let h: ExportHarness;
  let seq = 0;
  beforeAll(async () => {
    h = await startExportHarness({ partSize: PART_SIZE });
  });
  afterEach(() => {
    h.emu.faults.clear();
    h.emu.stats.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  function seed(bytes: number): ExportRequest {
    seq++;
    const text = randomBytes(bytes / 2).toString("hex");
    const part = { type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value: gzipSync(Buffer.from(text)).toString("base64") };
    const { taskRunKeys } = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: `retry-job-${seq}`,
      tasks: [{ name: "t", output: { data: [part] as never, version: 1 } }],
    });
    return { platformId: PLATFORM, workspaceKey: WS, taskRunKey: taskRunKeys[0]! };
  }
  const run = (req: ExportRequest) =>
    exportTaskRun({ aidp: h.client, store: h.outStore }, settings, req, { deadline: Deadline.in(30_000) });

  it("a streamed part that fits one PUT is sent maxAttempts times, not maxAttempts²", async () => {
    const req = seed(8 * 1024);
    h.emu.faults.add({ route: "os.putObject", status: 503 });
    await expect(run(req)).rejects.toThrow();
    expect(h.emu.stats.count("os.putObject")).toBe(FAST_RETRIES.maxAttempts);
  });

  it("a multipart part is sent maxAttempts times, in one multipart upload (no re-decode, no new upload)", async () => {
    const req = seed(3 * PART_SIZE);
    h.emu.faults.add({ route: "os.uploadPart", status: 503 });
    const err = await run(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ExportIncompleteError);
    expect(h.emu.stats.count("os.createMultipartUpload")).toBe(1);
    // At most two parts in flight when the first one gives up; each is tried maxAttempts times.
    const uploads = h.emu.stats.count("os.uploadPart");
    expect(uploads % FAST_RETRIES.maxAttempts).toBe(0);
    expect(uploads).toBeLessThanOrEqual(2 * FAST_RETRIES.maxAttempts);
    expect(h.emu.stats.count("os.abortMultipartUpload")).toBe(1);
  });
});
