import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AsciiText } from "../../../shared/decode/ascii-text.js";
import { parseJsonWithLargeStrings } from "../../../shared/decode/large-string-json.js";

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
