import { describe, expect, it } from "vitest";
import { parseExportInput } from "../../../functions/export/export-input.js";
import { ExportInputError } from "../../../shared/export/export-errors.js";

const P = "ocid1.aidataplatform.oc1.iad.aaaa";
const ok = { aiDataPlatformId: P, workspaceKey: "ws", taskRunKey: "tr" };

function problemsOf(input: unknown): readonly string[] {
  try {
    parseExportInput(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ExportInputError);
    return (err as ExportInputError).problems;
  }
  throw new Error("expected ExportInputError");
}

describe("parseExportInput", () => {
  it("accepts a plain request, with or without an output key", () => {
    expect(parseExportInput(ok)).toEqual([{ platformId: P, workspaceKey: "ws", taskRunKey: "tr", outputKey: undefined }]);
    expect(parseExportInput({ ...ok, outputKey: "o" })[0]?.outputKey).toBe("o");
  });

  it("accepts an array", () => {
    expect(parseExportInput([ok, { ...ok, taskRunKey: "tr2" }]).map((r) => r.taskRunKey)).toEqual(["tr", "tr2"]);
  });

  it("accepts an OCI Events envelope, taking the platform from resourceId when needed", () => {
    const event = {
      eventType: "com.oraclecloud.aidataplatform.taskrun.end",
      cloudEventsVersion: "0.1",
      eventID: "x",
      data: { resourceId: P, additionalDetails: { workspaceKey: "ws", taskRunKey: "tr", somethingElse: 1 } },
    };
    expect(parseExportInput(event)).toEqual([{ platformId: P, workspaceKey: "ws", taskRunKey: "tr", outputKey: undefined }]);
  });

  it("lists every problem of every item, with its path", () => {
    const problems = problemsOf([
      { ...ok, workspaceKey: "..", extra: 1 },
      { aiDataPlatformId: "nope", taskRunKey: "a/b" },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[0\]: unknown key\(s\) extra$/),
        expect.stringMatching(/^\[0\]\.workspaceKey: workspaceKey must not be '\.' or '\.\.'$/),
        expect.stringMatching(/^\[1\]\.aiDataPlatformId: .*OCID/),
        expect.stringMatching(/^\[1\]\.workspaceKey: /),
        expect.stringMatching(/^\[1\]\.taskRunKey: .*'\/'/),
      ]),
    );
  });

  it("rejects empty input, empty arrays, oversized batches and events without keys", () => {
    expect(problemsOf(undefined)[0]).toMatch(/empty/);
    expect(problemsOf({})[0]).toMatch(/empty/);
    expect(problemsOf([])[0]).toMatch(/empty/);
    expect(problemsOf(Array.from({ length: 101 }, () => ok))[0]).toMatch(/at most 100/);
    expect(problemsOf({ eventType: "x", data: { additionalDetails: {} } }).length).toBe(3);
    expect(problemsOf("hello")[0]).toMatch(/expected object/);
  });

  it("rejects control characters in keys without echoing them raw", () => {
    const problems = problemsOf({ ...ok, taskRunKey: "a\u0000b" });
    expect(problems.join(" ")).toMatch(/control characters/);
    expect(/\p{Cc}/u.test(problems.join(" "))).toBe(false);
  });
});
