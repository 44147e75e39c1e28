import { describe, expect, it } from "vitest";
import { buildPointer, compareVersions, parsePointer, pointerAction, serializePointer } from "../../../shared/export/current-pointer.js";
import { buildManifest, type ManifestPart, parseManifest, serializeManifest } from "../../../shared/export/manifest.js";

const SHA = "a".repeat(64);
const archived = (index: number): ManifestPart => ({
  index,
  type: "TEXT_PLAIN",
  status: "archived",
  object: `o/v1/${index}.txt`,
  contentType: "text/plain; charset=utf-8",
  bytes: 5,
  sha256: SHA,
  declaredLength: "5",
  compression: null,
  charset: null,
  isBase64: false,
  warnings: [],
});
const base = {
  platformId: "ocid1.aidataplatform.oc1.iad.x",
  workspaceKey: "ws",
  taskRunKey: "tr",
  jobRunKey: "jr",
  outputKey: "out",
  output: {
    version: 2,
    taskType: "PYTHON_TASK",
    isTruncated: false,
    errorTrace: undefined,
    outputParameters: [{ name: "a", value: undefined }],
  },
  exportedAtMs: Date.UTC(2026, 0, 1),
};

describe("manifest", () => {
  it("builds, sorts parts, and round-trips through JSON", () => {
    const m = buildManifest({ ...base, parts: [archived(1), archived(0)] });
    expect(m.parts.map((p) => p.index)).toEqual([0, 1]);
    expect(m).toMatchObject({
      schemaVersion: 1,
      version: 2,
      complete: true,
      jobRunKey: "jr",
      errorTrace: null,
      exportedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(m.outputParameters).toEqual([{ name: "a", value: null }]);
    expect(parseManifest(serializeManifest(m))).toEqual(m);
  });

  it("is incomplete when a part failed, and keeps the error", () => {
    const failed: ManifestPart = {
      index: 1,
      type: "IMAGE_PNG",
      status: "failed",
      error: { name: "InvalidBase64Error", code: "INVALID_BASE64", message: "bad" },
      undecoded: { object: "o/v1/001-image_png.undecoded", bytes: 3, sha256: SHA },
      declaredLength: null,
      compression: null,
      charset: null,
      isBase64: true,
      warnings: [],
    };
    const m = buildManifest({ ...base, parts: [archived(0), failed] });
    expect(m.complete).toBe(false);
    expect(m.parts[1]).toMatchObject({ status: "failed", error: { code: "INVALID_BASE64" } });
  });

  it("refuses to build a manifest with a malformed hash", () => {
    expect(() => buildManifest({ ...base, parts: [{ ...archived(0), sha256: "xyz" } as ManifestPart] })).toThrow();
  });

  it("parseManifest rejects garbage and other schemas", () => {
    expect(parseManifest("not json")).toBeUndefined();
    expect(parseManifest(JSON.stringify({ schemaVersion: 2 }))).toBeUndefined();
  });
});

describe("current pointer", () => {
  it("round-trips", () => {
    const p = buildPointer(3, "x/v3/manifest.json", 0);
    expect(parsePointer(serializePointer(p))).toEqual(p);
    expect(parsePointer("{}")).toBeUndefined();
  });

  it("orders versions with 'none' oldest", () => {
    expect(compareVersions(undefined, 0)).toBe(-1);
    expect(compareVersions(2, 1)).toBe(1);
    expect(compareVersions(null, undefined)).toBe(0);
  });

  it("decides create / replace / keep so the newest version wins", () => {
    const at = (v: number | undefined) => ({ pointer: buildPointer(v, "m", 0) });
    expect(pointerAction(undefined, 1)).toBe("create");
    expect(pointerAction({ pointer: undefined }, 1)).toBe("replace");
    expect(pointerAction(at(1), 2)).toBe("replace");
    expect(pointerAction(at(2), 2)).toBe("keep");
    expect(pointerAction(at(3), 2)).toBe("keep");
    expect(pointerAction(at(undefined), 0)).toBe("replace");
  });
});
