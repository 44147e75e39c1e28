import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleView, formatEvent } from "../../../stack/console-view.js";

const at = Date.UTC(2026, 10, 23, 12, 0, 5);

describe("ConsoleView", () => {
  it("prints one line per operation state change, not per observation", () => {
    const out = new PassThrough();
    const view = new ConsoleView(out);
    const op = { kind: "operation" as const, at, key: "op-1", actionType: "CREATE_TABLE", resourceName: "sales" };
    view.show({ ...op, status: "IN_PROGRESS" });
    view.show({ ...op, status: "IN_PROGRESS" });
    view.show({ ...op, status: "FAILED", errorCode: "TableExists" });
    expect(view.lines).toHaveLength(2);
    expect(view.lines[1]).toMatch(/^12:00:05 {2}op {6}CREATE_TABLE +sales +FAILED \(TableExists\) {2}op-1$/);
    expect(String(out.read())).toContain("IN_PROGRESS");
  });

  it("formats notifications and exports on one line each, without colour unless asked", () => {
    const email = formatEvent({ kind: "email", at, subject: "a\nb", file: "/d/x.eml" });
    expect(email).toBe('12:00:05  email   "a b"  → /d/x.eml');
    const slack = formatEvent({ kind: "slack", at, text: `*t*\n${"x".repeat(200)}` });
    expect(slack.length).toBeLessThan(130);
    expect(slack).not.toContain("\n");
    expect(formatEvent({ kind: "export", at, taskRunKey: "tr-1", manifest: "oci://b/m.json" })).toContain("→ oci://b/m.json");
    expect(formatEvent({ kind: "operation", at, key: "k", actionType: "A", resourceName: "r", status: "SUCCEEDED" }, true)).toContain(
      "\x1b[32m",
    );
  });
});
