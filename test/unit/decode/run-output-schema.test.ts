import { describe, expect, it } from "vitest";
import { RunOutputDataSchema, TaskRunOutputSchema } from "../../../shared/decode/run-output-schema.js";

describe("RunOutputData / TaskRunOutput schemas", () => {
  it("parses a full response, keeping known enum values", () => {
    const out = TaskRunOutputSchema.parse({
      data: [{ type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", charset: "UTF_8", length: "12", value: "AAAA" }],
      errorTrace: "trace",
      isTruncated: true,
      key: "k1",
      outputParameters: [{ name: "a", value: "1" }, { name: "b" }],
      taskType: "NOTEBOOK_TASK",
      version: 3,
    });
    expect(out.data[0]).toEqual({ type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", charset: "UTF_8", length: "12", value: "AAAA" });
    expect(out.isTruncated).toBe(true);
    expect(out.outputParameters?.[1]).toEqual({ name: "b", value: undefined });
  });

  it("keeps unknown enum values (the enums are open) and strips unknown fields", () => {
    const out = TaskRunOutputSchema.parse({
      data: [{ type: "IMAGE_WEBP", compression: "ZSTD", charset: "LATIN_1", futureField: 1 }],
      taskType: "QUANTUM_TASK",
      somethingNew: { x: 1 },
    });
    expect(out.data[0]?.type).toBe("IMAGE_WEBP");
    expect(out.data[0]?.compression).toBe("ZSTD");
    expect(out.data[0]?.charset).toBe("LATIN_1");
    expect(out.taskType).toBe("QUANTUM_TASK");
    expect(out).not.toHaveProperty("somethingNew");
    expect(out.data[0]).not.toHaveProperty("futureField");
  });

  it("defaults isTruncated to false and treats null as absent", () => {
    const out = TaskRunOutputSchema.parse({ data: [{ type: "TEXT_PLAIN", value: null, charset: null }], isTruncated: null });
    expect(out.isTruncated).toBe(false);
    expect(out.data[0]?.value).toBeUndefined();
    expect(out.data[0]?.charset).toBeUndefined();
    expect(TaskRunOutputSchema.parse({ data: [] }).isTruncated).toBe(false);
  });

  it("rejects what cannot be a TaskRunOutput", () => {
    expect(TaskRunOutputSchema.safeParse({}).success).toBe(false); // data is required
    expect(TaskRunOutputSchema.safeParse({ data: [], version: 1.5 }).success).toBe(false);
    expect(RunOutputDataSchema.safeParse({ value: "x" }).success).toBe(false); // type is required
    expect(RunOutputDataSchema.safeParse({ type: "TEXT_PLAIN", isBase64: "yes" }).success).toBe(false);
    expect(RunOutputDataSchema.safeParse({ type: "TEXT_PLAIN", length: 12 }).success).toBe(false);
  });
});
