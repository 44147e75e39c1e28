import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildSnapshot, ensureSnapshotBlob } from "../../../stack/snapshot-blob.js";
import { StackError } from "../../../stack/stack-error.js";

// Real `node --build-snapshot-config` runs on tiny builder scripts: what the
// local stack does with dist/snapshot/func-snapshot.cjs, minus the size.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function builder(dir: string, greeting: string): string {
  const script = join(dir, "builder.cjs");
  // The greeting is computed while building: only the snapshot can print it.
  writeFileSync(script, `const v8 = require("node:v8"); const g = ${JSON.stringify(greeting)}.toUpperCase(); v8.startupSnapshot.setDeserializeMainFunction(() => console.log(g, process.env.WHO));`);
  return script;
}

const runBlob = (blob: string) => execFileSync(process.execPath, ["--snapshot-blob", blob], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", WHO: "runtime" } }).trim();

describe("startup snapshot blobs", () => {
  it("builds a blob that starts with the builder's heap and the runtime's environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aw-blob-"));
    dirs.push(dir);
    const built = await buildSnapshot({ script: builder(dir, "hello"), blob: join(dir, "out", "func.blob") });
    expect(built.blobBytes).toBeGreaterThan(100_000);
    expect(runBlob(built.blob)).toBe("HELLO runtime");
  });

  it("rebuilds only when the script changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aw-blob-"));
    dirs.push(dir);
    const script = builder(dir, "one");
    const first = await ensureSnapshotBlob(script, join(dir, "cache"));
    expect(first.built).toBe(true);
    expect((await ensureSnapshotBlob(script, join(dir, "cache"))).built).toBe(false);
    builder(dir, "two");
    const third = await ensureSnapshotBlob(script, join(dir, "cache"));
    expect(third.built).toBe(true);
    expect(runBlob(third.blob)).toBe("TWO runtime");
  });

  it("reports a builder that fails as a StackError naming the script and node's message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aw-blob-"));
    dirs.push(dir);
    const script = join(dir, "broken.cjs");
    writeFileSync(script, 'throw new Error("no snapshot today");');
    const failed = buildSnapshot({ script, blob: join(dir, "func.blob") });
    await expect(failed).rejects.toBeInstanceOf(StackError);
    await expect(failed).rejects.toThrow(/broken\.cjs failed: .*no snapshot today/s);
  });
});
