import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { syncFileSink } from "../../../cli/sync-file-sink.js";

describe("syncFileSink (decode's output file)", () => {
  const dir = mkdtempSync(join(tmpdir(), "aw-sink-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const fresh = () => join(dir, `f${n++}`);

  it("property: the file holds exactly the bytes piped into it, in order, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 20 }), async (chunks) => {
        const file = fresh();
        await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), syncFileSink(file));
        expect(readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses a file that exists and leaves it untouched", async () => {
    const file = fresh();
    writeFileSync(file, "keep me");
    await expect(pipeline(Readable.from([Buffer.from("new")]), syncFileSink(file))).rejects.toMatchObject({ code: "EEXIST" });
    expect(readFileSync(file, "utf8")).toBe("keep me");
  });

  it("a failing source fails the pipeline and the sink closes its descriptor (decode.ts then removes the temp file)", async () => {
    const file = fresh();
    const openFds = () => readdirSync("/proc/self/fd").length;
    const before = openFds();
    const sink = syncFileSink(file);
    async function* failing() {
      yield Buffer.from("partial");
      throw new Error("decode failed");
    }
    await expect(pipeline(failing(), sink)).rejects.toThrow("decode failed");
    expect(sink.closed).toBe(true);
    expect(openFds()).toBe(before);
  });
});
