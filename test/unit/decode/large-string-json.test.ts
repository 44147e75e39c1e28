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
