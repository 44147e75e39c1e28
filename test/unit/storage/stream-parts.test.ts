import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { streamParts } from "../../../shared/storage/stream-parts.js";

async function collect(chunks: Buffer[], size: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const p of streamParts(Readable.from(chunks), size)) out.push(p);
  return out;
}

describe("streamParts", () => {
  it("yields one empty part for an empty stream", async () => {
    expect(await collect([], 4)).toEqual([Buffer.alloc(0)]);
  });

  it("cuts any chunking into full parts and a shorter last one, losing nothing (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 17 }),
        async (arrays, size) => {
          const chunks = arrays.map((a) => Buffer.from(a));
          const parts = await collect(chunks, size);
          expect(Buffer.concat(parts).equals(Buffer.concat(chunks))).toBe(true);
          parts.slice(0, -1).forEach((p) => {
            expect(p.length).toBe(size);
          });
          expect(parts.at(-1)!.length).toBeLessThanOrEqual(size);
        },
      ),
    );
  });
});
