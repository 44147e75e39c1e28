import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Announcement } from "../../../shared/notify/announcement.js";
import { MAX_MESSAGE_BYTES, MAX_TITLE_CHARS, messageBytes, TRUNCATION_MARKER_PREFIX } from "../../../shared/notify/message-size.js";
import { renderAnnouncement } from "../../../shared/notify/render-body.js";
import { renderDigest } from "../../../shared/notify/render-digest.js";
import { renderTitle } from "../../../shared/notify/render-title.js";

const PLATFORM = "ocid1.aidataplatform.oc1.iad.amaaaaaaplatform";

function announcement(overrides: Partial<Announcement> & { op?: Partial<Announcement["operation"]> } = {}): Announcement {
  const { op, ...rest } = overrides;
  return {
    platformId: PLATFORM,
    status: "FAILED",
    operation: {
      key: "op-123",
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "sales.q3.orders",
      resourceDisplayName: "Orders Q3",
      createdBy: "ocid1.user.oc1..alice",
      createdByName: "Alice",
      timeStarted: "2026-11-23T12:00:00.000Z",
      timeFinished: "2026-11-23T12:03:05.000Z",
      status: "FAILED",
      errorCode: "TableExists",
      errorMessage: "table sales.q3.orders already exists",
      ...op,
    },
    opcRequestIds: ["REQ1"],
    decidedAtMs: Date.parse("2026-11-23T12:04:00Z"),
    ...rest,
  };
}

describe("title", () => {
  it("puts the status first", () => {
    expect(renderTitle(announcement())).toBe("FAILED · CREATE_TABLE · sales.q3.orders");
  });

  it("cuts the resource first and stays on one line within 100 characters", () => {
    const t = renderTitle(announcement({ op: { resourceName: `x\n${"very.long.name.".repeat(20)}` } }));
    expect(t.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(t).toMatch(/^FAILED · CREATE_TABLE · x very\.long/);
    expect(t.endsWith("…")).toBe(true);
    expect(t).not.toContain("\n");
  });
});

describe("text body", () => {
  it("lists every fact a reader needs, in plain text", () => {
    const m = renderAnnouncement(announcement(), {
      format: "text",
      displayTimeZone: "Europe/Paris",
      consoleUrlTemplate: "https://cloud.oracle.com/aidp/{platformId}/ops/{operationKey}?region={region}",
      region: "us-ashburn-1",
    });
    expect(m.truncated).toBe(false);
    expect(m.body).toContain("CREATE_TABLE of sales.q3.orders failed.");
    expect(m.body).toMatch(/Status:\s+FAILED/);
    expect(m.body).toMatch(/Resource:\s+Orders Q3 \(sales\.q3\.orders\)/);
    expect(m.body).toMatch(/Platform:\s+ocid1\.aidataplatform/);
    expect(m.body).toMatch(/Started by:\s+Alice \(ocid1\.user\.oc1\.\.alice\)/);
    expect(m.body).toContain("Started:       2026-11-23T12:00:00Z (2026-11-23 13:00:00 Europe/Paris)");
    expect(m.body).toMatch(/Duration:\s+3m 5s/);
    expect(m.body).toMatch(/Error code:\s+TableExists/);
    expect(m.body).toContain("table sales.q3.orders already exists");
    expect(m.body).toMatch(/Request IDs:\s+REQ1/);
    expect(m.body).toMatch(/Resource type: TABLE/);
    // Every "Label: value" line keeps a space after the colon, the longest label included.
    for (const l of m.body.split("\n").filter((x) => /^[A-Z][A-Za-z ]+:\S/.test(x))) expect.fail(`no space after the label: ${l}`);
    expect(m.body).toContain(`Console:       https://cloud.oracle.com/aidp/${encodeURIComponent(PLATFORM)}/ops/op-123?region=us-ashburn-1`);
    expect(m.body).toContain(`Dedupe key:    ${PLATFORM}/op-123/FAILED`);
  });

  it("cuts a huge error message, says so, and keeps the dedupe key", () => {
    const m = renderAnnouncement(announcement({ op: { errorMessage: "é".repeat(100_000) } }), { format: "text" });
    expect(m.truncated).toBe(true);
    expect(messageBytes(m.title, m.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(m.body).toContain(`Dedupe key:    ${PLATFORM}/op-123/FAILED`);
    expect(m.body).toMatch(/\[truncated: \d+ bytes omitted to fit the 64 KB message limit\]$/);
  });

  it("explains watch statuses", () => {
    const m = renderAnnouncement(
      announcement({
        status: "STILL_RUNNING",
        op: { status: "IN_PROGRESS", timeFinished: undefined, errorCode: undefined, errorMessage: undefined },
      }),
      { format: "text" },
    );
    expect(m.body).toContain("is still running");
    expect(m.body).toContain("Running for 4m");
    expect(m.body).not.toContain("Finished:");
  });
});

describe("json body", () => {
  it("is a parseable document with the dedupe key", () => {
    const m = renderAnnouncement(announcement(), { format: "json" });
    expect(JSON.parse(m.body)).toMatchObject({
      status: "FAILED",
      dedupeKey: `${PLATFORM}/op-123/FAILED`,
      durationMs: 185_000,
      truncated: false,
    });
  });

  it("shortens long fields instead of breaking JSON", () => {
    const m = renderAnnouncement(announcement({ op: { errorMessage: "\u0001".repeat(70_000), statusDetails: "d".repeat(30_000) } }), {
      format: "json",
    });
    expect(messageBytes(m.title, m.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const doc = JSON.parse(m.body) as Record<string, string | boolean>;
    expect(doc.truncated).toBe(true);
    expect(String(doc.errorMessage)).toContain(TRUNCATION_MARKER_PREFIX);
  });
});

const text = fc.string({ unit: "grapheme", maxLength: 300 });
const big = fc.oneof(text, fc.string({ unit: "binary", maxLength: 120_000 }), fc.string({ minLength: 60_000, maxLength: 90_000 }));
const arbAnnouncement = fc.record({
  status: fc.oneof(fc.constantFrom("SUCCEEDED", "FAILED", "CANCELED", "STILL_RUNNING", "LOST", "GAVE_UP"), text),
  key: fc.string({ minLength: 1, maxLength: 200 }),
  actionType: text,
  resourceName: fc.oneof(text, fc.string({ maxLength: 2000 })),
  displayName: fc.option(text, { nil: undefined }),
  errorMessage: fc.option(big, { nil: undefined }),
  statusDetails: fc.option(big, { nil: undefined }),
  format: fc.constantFrom("text" as const, "json" as const),
});

describe("rendering properties", () => {
  it("title ≤ 100 characters, message ≤ 64 KB, and the marker appears exactly when something was cut", () => {
    fc.assert(
      fc.property(arbAnnouncement, (g) => {
        const a = announcement({
          status: g.status,
          op: {
            key: g.key,
            actionType: g.actionType,
            resourceName: g.resourceName,
            resourceDisplayName: g.displayName,
            errorMessage: g.errorMessage,
            statusDetails: g.statusDetails,
          },
        });
        const m = renderAnnouncement(a, { format: g.format });
        expect(m.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
        expect(m.title).not.toMatch(/[\n\r]/);
        expect(messageBytes(m.title, m.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        if (m.truncated) {
          expect(m.body).toContain(TRUNCATION_MARKER_PREFIX);
        } else {
          // Not cut: the body is the full rendering (rendering with no limit gives the same).
          expect(m.body).toBe(renderAnnouncement(a, { format: g.format }, Number.MAX_SAFE_INTEGER).body);
        }
        if (g.format === "json") expect(() => JSON.parse(m.body)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });
});

describe("digest", () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      announcement({ status: i % 2 ? "SUCCEEDED" : "FAILED", op: { key: `op-${i}`, resourceName: `cat.schema.table_${i}` } }),
    );

  it("lists every operation when they fit, with counts in the title", () => {
    const d = renderDigest(many(20), { format: "text" }, { perMinute: 50 });
    expect(d.included).toBe(20);
    expect(d.title).toBe("DIGEST · 20 operations · 10 FAILED, 10 SUCCEEDED");
    expect(d.body.split("\n").filter((l) => l.includes(" | op-"))).toHaveLength(20);
  });

  it("lists what fits in 64 KB and says how many follow", () => {
    const d = renderDigest(many(3000), { format: "text" });
    expect(d.included).toBeGreaterThan(100);
    expect(d.included).toBeLessThan(3000);
    expect(messageBytes(d.title, d.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(d.body).toContain(`${3000 - d.included} more are not listed here`);
    const j = renderDigest(many(3000), { format: "json" });
    expect(messageBytes(j.title, j.body)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect((JSON.parse(j.body) as { items: unknown[] }).items).toHaveLength(j.included);
  });
});
