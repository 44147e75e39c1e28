import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { workerScript } from "../../../shared/decode/worker-script.js";

// Where the build puts the bzip2 worker (scripts/build-options.mjs): `chunks/bzip2-worker.mjs` beside the
// function's ES module chunks, `bzip2-worker.js` beside the CLI bundle.
describe("workerScript", () => {
  const dir = mkdtempSync(join(tmpdir(), "aw-worker-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the worker beside the function's chunks (.mjs) and beside the CLI (.js), and nothing where there is none", () => {
    writeFileSync(join(dir, "fn-worker.mjs"), "");
    writeFileSync(join(dir, "cli-worker.js"), "");
    const from = pathToFileURL(join(dir, "chunk-ABC.mjs")).href;
    expect(String(workerScript(from, "fn-worker")?.filename)).toBe(pathToFileURL(join(dir, "fn-worker.mjs")).href);
    expect(String(workerScript(from, "cli-worker")?.filename)).toBe(pathToFileURL(join(dir, "cli-worker.js")).href);
    expect(workerScript(from, "absent-worker")).toBeUndefined();
  });
});
