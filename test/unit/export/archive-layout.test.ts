import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  archiveLayout,
  MAX_OBJECT_NAME_BYTES,
  partFileName,
  taskRunPrefix,
  typeSegment,
  watermarkObjectName,
} from "../../../shared/export/archive-layout.js";
import { ObjectNameTooLongError, UnsafeKeyError } from "../../../shared/export/export-errors.js";
import { assertSafeKey, keyProblems, prefixSegments } from "../../../shared/export/object-key.js";

const PLATFORM = "ocid1.aidataplatform.oc1.iad.aaaaexample";
const ids = { platformId: PLATFORM, workspaceKey: "ws-1", taskRunKey: "tr-1", outputKey: "out-1" };

describe("archiveLayout", () => {
  it("builds the documented names", () => {
    const l = archiveLayout("outputs", ids, 3);
    expect(l.taskRunPrefix).toBe(`outputs/${PLATFORM}/ws-1/tr-1/`);
    expect(l.current).toBe(`outputs/${PLATFORM}/ws-1/tr-1/out-1/current.json`);
    expect(l.manifest).toBe(`outputs/${PLATFORM}/ws-1/tr-1/out-1/v3/manifest.json`);
    expect(l.part(0, "IMAGE_PNG")).toBe(`outputs/${PLATFORM}/ws-1/tr-1/out-1/v3/000-image_png.png`);
    expect(l.part(12, "NOTEBOOK")).toBe(`outputs/${PLATFORM}/ws-1/tr-1/out-1/v3/012-notebook.ipynb`);
    expect(l.undecoded(1, "TEXT_HTML")).toBe(`outputs/${PLATFORM}/ws-1/tr-1/out-1/v3/001-text_html.undecoded`);
  });

  it("normalises the prefix's outer slashes and allows an empty prefix", () => {
    expect(archiveLayout("/a/b/", ids, 1).manifest).toBe(`a/b/${PLATFORM}/ws-1/tr-1/out-1/v1/manifest.json`);
    expect(archiveLayout("", ids, 1).manifest).toBe(`${PLATFORM}/ws-1/tr-1/out-1/v1/manifest.json`);
  });

  it("uses @none and unversioned for a keyless, versionless output", () => {
    const l = archiveLayout("p", { ...ids, outputKey: undefined }, undefined);
    expect(l.manifest).toBe(`p/${PLATFORM}/ws-1/tr-1/@none/unversioned/manifest.json`);
  });

  it("maps part types to file names; unknown types stay readable or become 'unknown'", () => {
    expect(partFileName(5, "APPLICATION_JSON")).toBe("005-application_json.json");
    expect(partFileName(0, "VIDEO_MP4")).toBe("000-video_mp4.bin");
    expect(typeSegment("../../etc")).toBe("unknown");
    expect(typeSegment("")).toBe("unknown");
    expect(() => partFileName(-1, "TEXT_PLAIN")).toThrow(RangeError);
  });

  it("rejects hostile keys with a typed error naming the key and the rule", () => {
    const cases: Array<[Partial<typeof ids>, string, string]> = [
      [{ workspaceKey: ".." }, "workspaceKey", "must not be '.' or '..'"],
      [{ taskRunKey: "a/../../b" }, "taskRunKey", "must not contain '/' or '\\'"],
      [{ taskRunKey: "a\\b" }, "taskRunKey", "'/' or '\\'"],
      [{ outputKey: "x\u0000y" }, "outputKey", "control characters"],
      [{ outputKey: "x\ny" }, "outputKey", "control characters"],
      [{ outputKey: "a\u202eb" }, "outputKey", "format characters"],
      [{ workspaceKey: " ws" }, "workspaceKey", "whitespace"],
      [{ workspaceKey: "" }, "workspaceKey", "must not be empty"],
      [{ workspaceKey: "w".repeat(201) }, "workspaceKey", "at most 200 UTF-8 bytes"],
      [{ outputKey: "é".repeat(101) }, "outputKey", "at most 100 characters"],
      [{ platformId: "not-an-ocid" }, "platformId", "must be an OCID"],
      [{ taskRunKey: "\ud800" }, "taskRunKey", "unpaired surrogates"],
    ];
    for (const [override, kind, rule] of cases) {
      let thrown: unknown;
      try {
        archiveLayout("outputs", { ...ids, ...override }, 1);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `${kind} ${JSON.stringify(override)}`).toBeInstanceOf(UnsafeKeyError);
      const e = thrown as UnsafeKeyError;
      expect(e.message).toContain(kind);
      expect(e.rule).toContain(rule);
      // The message never carries a raw control character.
      expect(/\p{Cc}/u.test(e.message)).toBe(false);
    }
  });

  it("lists every broken rule", () => {
    expect(keyProblems("workspaceKey", " ..\u0001")).toEqual(
      expect.arrayContaining(["must not contain control characters", "must not start or end with whitespace"]),
    );
  });

  it("rejects hostile prefixes", () => {
    expect(() => prefixSegments("a/../b")).toThrow(UnsafeKeyError);
    expect(() => prefixSegments("a//b")).toThrow(/must not be empty/);
    expect(() => prefixSegments("a/\rb")).toThrow(UnsafeKeyError);
    expect(prefixSegments("a/b.c/d")).toEqual(["a", "b.c", "d"]);
  });

  it("accepts ordinary keys unchanged", () => {
    for (const k of ["3f1c2a9e-77aa-4bb1-9a1e-0d5e7c1a2b3c", "my task run", "ключ", "a.b", "...", "run:1@x+y=z"]) {
      expect(assertSafeKey("taskRunKey", k)).toBe(k);
    }
  });

  it("refuses a name over 1024 bytes even when every key is within its own limit", () => {
    const long = { ...ids, workspaceKey: "w".repeat(200), taskRunKey: "t".repeat(200), outputKey: "😀".repeat(100) };
    expect(() => archiveLayout("p".repeat(200), long, 1)).toThrow(ObjectNameTooLongError);
  });

  it("puts the discovery watermark under the state prefix", () => {
    expect(watermarkObjectName("aidp-watch/", PLATFORM, "ws-1")).toBe(`aidp-watch/exports/${PLATFORM}/ws-1/watermark.json`);
    expect(() => watermarkObjectName("aidp-watch/", PLATFORM, "..")).toThrow(UnsafeKeyError);
  });

  it("property: any accepted key yields names with no '.'/'..' segment, no control characters, at most 1024 bytes", () => {
    const keyChar = fc.oneof(
      fc.constantFrom(".", "/", "\\", " ", "\u0000", "\n", "\r", "\u007f", "\u0085", "\u202e", "\u2028", "\ufeff", "\ud800", "%", "~"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    const key = fc.oneof(
      fc.constantFrom(".", "..", "", " a", "a "),
      fc.array(keyChar, { maxLength: 120 }).map((a) => a.join("")),
    );
    const prefix = fc.oneof(
      fc.constantFrom("outputs", "", "/a/b/", "a/../b"),
      fc.array(keyChar, { maxLength: 80 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(
        prefix,
        key,
        key,
        fc.option(key, { nil: undefined }),
        fc.option(fc.integer(), { nil: undefined }),
        fc.string(),
        (p, ws, tr, out, version, type) => {
          let layout: ReturnType<typeof archiveLayout>;
          try {
            layout = archiveLayout(p, { platformId: PLATFORM, workspaceKey: ws, taskRunKey: tr, outputKey: out }, version);
          } catch (err) {
            expect(err instanceof UnsafeKeyError || err instanceof ObjectNameTooLongError).toBe(true);
            return;
          }
          for (const name of [layout.current, layout.manifest, layout.part(7, type), layout.undecoded(7, type)]) {
            expect(Buffer.byteLength(name, "utf8")).toBeLessThanOrEqual(MAX_OBJECT_NAME_BYTES);
            expect(/\p{Cc}/u.test(name)).toBe(false);
            expect(name.split("/").some((s) => s === ".." || s === "." || s === "")).toBe(false);
            expect(name.startsWith(layout.taskRunPrefix)).toBe(true);
          }
          // Keys are never rewritten: the folder names are the keys themselves.
          expect(layout.taskRunPrefix.endsWith(`/${ws}/${tr}/`)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("taskRunPrefix validates its keys too", () => {
    expect(() => taskRunPrefix("o", { platformId: PLATFORM, workspaceKey: "ws", taskRunKey: "../x" })).toThrow(UnsafeKeyError);
  });
});
