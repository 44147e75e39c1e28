import { describe, expect, it } from "vitest";
import { FetchedTaskRunOutputSchema } from "../../../shared/aidp/fetched-output-schema.js";
import { AsciiText } from "../../../shared/decode/ascii-text.js";
import * as z from "../../../shared/schema/zod.js";

// fetchOutput's schema: a part's value is a string or an AsciiText (a long
// base64 value kept as bytes by large-string-json.ts), nothing else; every
// other field is checked as in RunOutputDataSchema.

const parse = (value: unknown, extra: Record<string, unknown> = {}) =>
  z.safeParse(FetchedTaskRunOutputSchema, { data: [{ type: "TEXT_PLAIN", ...extra, value }] });

describe("FetchedTaskRunOutputSchema", () => {
  it("accepts a string, an AsciiText, null or no value", () => {
    const ascii = new AsciiText(Buffer.from("QUJD"));
    expect(parse("abc").data?.data[0]?.value).toBe("abc");
    expect(parse(ascii).data?.data[0]?.value).toBe(ascii);
    expect(parse(null).data?.data[0]?.value).toBeUndefined();
    expect(parse(undefined).success).toBe(true);
  });

  it("rejects a value that is neither (a number, a look-alike object)", () => {
    expect(parse(42).success).toBe(false);
    expect(parse({ bytes: Buffer.from("QUJD") }).success).toBe(false);
  });

  it("checks the other fields next to an AsciiText value", () => {
    const r = parse(new AsciiText(Buffer.from("QUJD")), { isBase64: "yes" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["data", 0, "isBase64"]);
  });
});
