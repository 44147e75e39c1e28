import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { AsciiText, FileAsciiText } from "../../../shared/decode/ascii-text.js";
import { parseJsonFileWithLargeStrings, parseJsonWithLargeStrings } from "../../../shared/decode/large-string-json.js";

/** The parsed value with every AsciiText turned back into the string it stands for. */
function materialise(node: unknown): unknown {
  if (node instanceof AsciiText) return node.toString();
  if (Array.isArray(node)) return node.map(materialise);
  if (typeof node === "object" && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, materialise(v)]));
  }
  return node;
}

const parse = (text: string, min: number) => parseJsonWithLargeStrings(Buffer.from(text, "utf8"), min);

describe("parseJsonWithLargeStrings", () => {
  it("property: equals JSON.parse on any JSON document, whatever the long-string threshold", () => {
    fc.assert(
      fc.property(fc.json(), fc.integer({ min: 0, max: 40 }), (text, min) => {
        expect(materialise(parse(text, min))).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("property: rejects what JSON.parse rejects (text cut or corrupted at any point)", () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom("", '"', "\\", "}", ",", "\u0001"), (text, at, insert) => {
        const i = at % (text.length + 1);
        const bad = text.slice(0, i) + insert + text.slice(i);
        let expected: unknown;
        try {
          expected = JSON.parse(bad);
        } catch {
          expect(() => parse(bad, 3)).toThrow(SyntaxError);
          return;
        }
        expect(materialise(parse(bad, 3))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  // The plain-ASCII test reads the aligned middle of a long string four bytes at a time: any byte, at any
  // offset and alignment (the prefix shifts it), must be judged as JSON.parse judges it.
  it("property: a long string of any bytes at any alignment is kept as bytes exactly when they are the string", () => {
    const byte = fc.oneof(
      fc.constantFrom(0x00, 0x09, 0x1f, 0x20, 0x41, 0x5c, 0x7e, 0x7f, 0x80, 0xc3, 0xff),
      fc.integer({ min: 0x20, max: 0x7e }).filter((b) => b !== 0x22 && b !== 0x5c),
    );
    fc.assert(
      fc.property(fc.nat({ max: 7 }), fc.array(byte, { minLength: 8, maxLength: 80 }), (pad, content) => {
        const bytes = Buffer.concat([
          Buffer.from(`${" ".repeat(pad)}{"v":"`),
          Buffer.from(content.filter((b) => b !== 0x22)),
          Buffer.from('"}'),
        ]);
        const inner = bytes.subarray(pad + 6, bytes.length - 2);
        const plain = inner.every((b) => b >= 0x20 && b < 0x80 && b !== 0x5c);
        let expected: unknown;
        try {
          expected = JSON.parse(bytes.toString("utf8"));
        } catch {
          expect(() => parseJsonWithLargeStrings(bytes, 4)).toThrow(SyntaxError);
          return;
        }
        const parsed = parseJsonWithLargeStrings(bytes, 4) as { v: unknown };
        expect(parsed.v instanceof AsciiText).toBe(plain);
        expect(materialise(parsed)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps long plain-ASCII strings as the input's bytes; long strings with escapes or non-ASCII as real strings", () => {
    const value = "QUJD".repeat(50);
    const doc = {
      data: [{ type: "TEXT_PLAIN", value, other: `é${"x".repeat(300)}`, esc: `a\\n${"y".repeat(300)}` }],
      [`k${"z".repeat(300)}`]: 1,
    };
    const parsed = parse(JSON.stringify(doc), 100) as { data: Array<Record<string, unknown>> };
    const part = parsed.data[0]!;
    expect(part.value).toBeInstanceOf(AsciiText);
    expect(String(part.value)).toBe(value);
    expect(typeof part.other).toBe("string");
    expect(typeof part.esc).toBe("string");
    expect(materialise(parsed)).toEqual(doc);
  });
});

describe("parseJsonFileWithLargeStrings", () => {
  const dir = mkdtempSync(join(tmpdir(), "aw-lsj-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  /** Parses `bytes` from a file, read in pieces of `piece` bytes (so tokens straddle piece boundaries). */
  const parseFile = (bytes: Buffer, min: number, piece: number) => {
    const file = join(dir, `d${n++}.json`);
    writeFileSync(file, bytes);
    const fd = openSync(file, "r");
    try {
      return materialise(parseJsonFileWithLargeStrings(fd, min, piece));
    } finally {
      closeSync(fd);
    }
  };

  it("property: equals JSON.parse on any JSON document, whatever the threshold and the read size", () => {
    fc.assert(
      fc.property(fc.json(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 64 }), (text, min, piece) => {
        expect(parseFile(Buffer.from(text, "utf8"), min, piece)).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("property: rejects what JSON.parse rejects, accepts what it accepts (any byte inserted anywhere)", () => {
    const byte = fc.constantFrom(0x00, 0x01, 0x1f, 0x22, 0x5c, 0x7d, 0x2c, 0x7f, 0x80, 0xff, 0x41);
    fc.assert(
      fc.property(fc.json(), fc.nat(), byte, fc.integer({ min: 1, max: 16 }), (text, at, insert, piece) => {
        const doc = Buffer.from(text, "utf8");
        const i = at % (doc.length + 1);
        const bad = Buffer.concat([doc.subarray(0, i), Buffer.from([insert]), doc.subarray(i)]);
        let expected: unknown;
        try {
          expected = JSON.parse(bad.toString("utf8"));
        } catch {
          expect(() => parseFile(bad, 2, piece)).toThrow(SyntaxError);
          return;
        }
        expect(parseFile(bad, 2, piece)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps a long plain value in the file (FileAsciiText), reading slices and characters from it", () => {
    const value = "QUJD".repeat(5000);
    const file = join(dir, "value.json");
    writeFileSync(file, JSON.stringify({ data: [{ type: "TEXT_PLAIN", value, esc: `a\\n${"y".repeat(300)}` }] }));
    const fd = openSync(file, "r");
    try {
      const parsed = parseJsonFileWithLargeStrings(fd, 100, 1000) as { data: Array<{ value: unknown; esc: unknown }> };
      const text = parsed.data[0]!.value;
      expect(text).toBeInstanceOf(FileAsciiText);
      const t = text as FileAsciiText;
      expect(t.length).toBe(value.length);
      expect(t.slice(3, 9)).toBe(value.slice(3, 9));
      expect(t.slice(-4)).toBe(value.slice(-4));
      expect(t.charCodeAt(1)).toBe(value.charCodeAt(1));
      expect(t.charCodeAt(value.length)).toBeNaN();
      expect(t.toString()).toBe(value);
      expect(t.bytes.toString("latin1")).toBe(value);
      expect(typeof parsed.data[0]!.esc).toBe("string");
    } finally {
      closeSync(fd);
    }
  });
});
