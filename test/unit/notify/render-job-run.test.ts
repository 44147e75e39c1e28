import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_BYTES, MAX_TITLE_CHARS, messageBytes, TRUNCATION_MARKER_PREFIX } from "../../../shared/notify/message-size.js";
import { type JobRunNotice, jobRunDedupeKey, renderJobRun, renderJobRunTitle } from "../../../shared/notify/render-job-run.js";
import { announcedKeysOf } from "../../support/announced-keys.js";

const PLATFORM = "ocid1.aidataplatform.oc1.iad.aaaa";
const MANIFEST = `outputs/${PLATFORM}/ws-sales/tr-1/out-7/v2/manifest.json`;

const notice: JobRunNotice = {
  platformId: PLATFORM,
  workspaceKey: "ws-sales",
  jobRunKey: "jr-42",
  jobName: "nightly",
  jobKey: "job-7",
  status: "SUCCESS",
  timeStarted: "2026-11-23T12:00:00.000Z",
  timeFinished: "2026-11-23T12:01:05.000Z",
  taskRuns: [
    { key: "tr-1", name: "report", status: "SUCCESS", manifests: [{ bucket: "out", namespace: "ns1", object: MANIFEST }] },
    { key: "tr-2", name: "cleanup", status: "SKIPPED", manifests: [] },
    { key: "tr-3", name: "load", status: "FAILED", manifests: [], error: "archive could not be read back: boom" },
  ],
};

describe("renderJobRun", () => {
  it("puts the status first in the title and lists each task run with its manifest reference", () => {
    const m = renderJobRun(notice, { format: "text" });
    expect(m.title).toBe("SUCCESS · JOB_RUN · nightly");
    expect(m.truncated).toBe(false);
    expect(m.body).toContain(`oci://out@ns1/${MANIFEST}`);
    expect(m.body).toMatch(/report \(tr-1\): SUCCESS/);
    expect(m.body).toMatch(/cleanup \(tr-2\): SKIPPED\n\s+no output/);
    expect(m.body).toContain("error: archive could not be read back: boom");
    expect(m.body).toContain("Started:       2026-11-23T12:00:00Z");
    expect(m.body).toContain("Duration:      1m 5s");
    expect(m.body).toContain("Workspace:     ws-sales");
    expect(announcedKeysOf([m.body])).toEqual([`${PLATFORM}/jobrun:jr-42/SUCCESS`]);
  });

  it("names the manifest object and bucket when the namespace is unknown", () => {
    const m = renderJobRun(
      { ...notice, taskRuns: [{ key: "tr-1", status: "SUCCESS", manifests: [{ bucket: "out", object: MANIFEST }] }] },
      { format: "text" },
    );
    expect(m.body).toContain(`manifest: ${MANIFEST} (bucket out)`);
    expect(m.body).not.toContain("oci://");
  });

  it("falls back to the job run key in the title and stays within 100 characters", () => {
    expect(renderJobRunTitle({ ...notice, jobName: undefined, jobKey: undefined })).toBe("SUCCESS · JOB_RUN · jr-42");
    const long = renderJobRunTitle({ ...notice, jobName: "x".repeat(500) });
    expect(long.length).toBe(MAX_TITLE_CHARS);
    expect(long.startsWith("SUCCESS · JOB_RUN · x")).toBe(true);
  });

  it("renders the same facts as JSON", () => {
    const m = renderJobRun(notice, { format: "json" });
    const doc = JSON.parse(m.body);
    expect(doc).toMatchObject({
      type: "aidp-watch.job-run",
      status: "SUCCESS",
      jobRunKey: "jr-42",
      durationMs: 65_000,
      dedupeKey: jobRunDedupeKey(notice),
      truncated: false,
    });
    expect(doc.taskRuns[0].manifests[0].reference).toBe(`oci://out@ns1/${MANIFEST}`);
  });

  const arbNotice: fc.Arbitrary<JobRunNotice> = fc.record({
    platformId: fc.constant(PLATFORM),
    workspaceKey: fc.string({ minLength: 1, maxLength: 200 }),
    jobRunKey: fc.string({ minLength: 1, maxLength: 200 }),
    jobName: fc.option(fc.string({ unit: "grapheme", maxLength: 400 }), { nil: undefined }),
    status: fc.constantFrom("SUCCESS", "FAILED", "TIMED_OUT", "SOME_FUTURE_STATUS"),
    taskRuns: fc.array(
      fc.record({
        key: fc.string({ minLength: 1, maxLength: 200 }),
        name: fc.option(fc.string({ unit: "grapheme", maxLength: 300 }), { nil: undefined }),
        status: fc.constantFrom("SUCCESS", "FAILED", "SKIPPED"),
        manifests: fc.array(
          fc.record({ bucket: fc.constant("out"), namespace: fc.constant("ns"), object: fc.string({ minLength: 1, maxLength: 1024 }) }),
          { maxLength: 4 },
        ),
        error: fc.option(fc.string({ unit: "binary", maxLength: 4000 }), { nil: undefined }),
      }),
      { maxLength: 120 },
    ),
  });

  it("always fits the 64 KB limit, saying so when cut (text and JSON)", () => {
    fc.assert(
      fc.property(arbNotice, fc.constantFrom("text" as const, "json" as const), (n, format) => {
        const m = renderJobRun(n, { format });
        expect(messageBytes(m.title, m.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        expect(m.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
        if (format === "json") {
          const doc = JSON.parse(m.body);
          expect(doc.truncated).toBe(m.truncated);
        } else if (m.truncated) {
          expect(m.body).toContain(TRUNCATION_MARKER_PREFIX);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("cuts a huge job run's task-run list with the marker, keeping the dedupe key", () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      key: `tr-${i}`,
      name: `task ${i}`,
      status: "SUCCESS",
      manifests: [{ bucket: "out", namespace: "ns", object: `${MANIFEST}-${i}` }],
    }));
    const text = renderJobRun({ ...notice, taskRuns: many }, { format: "text" });
    expect(text.truncated).toBe(true);
    expect(messageBytes(text.title, text.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(text.body).toContain(TRUNCATION_MARKER_PREFIX);
    expect(text.body).toContain(`Dedupe key:    ${jobRunDedupeKey(notice)}`);
    const json = renderJobRun({ ...notice, taskRuns: many }, { format: "json" });
    const doc = JSON.parse(json.body);
    expect(messageBytes(json.title, json.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(doc.truncated).toBe(true);
    expect(doc.taskRuns.length + doc.omittedTaskRuns).toBe(2000);
    expect(doc.taskRuns.length).toBeGreaterThan(0);
  });
});
