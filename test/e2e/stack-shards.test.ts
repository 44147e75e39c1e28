import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionsEmulator } from "../../emulator/services/functions/index.js";
import { stackFunctionId } from "../../stack/stack-config.js";
import { type Stack, startStack } from "../../stack/stack.js";
import { buildBundles } from "../support/build-bundles.js";

// AIDP_WATCH_SHARDS in the local stack: the scheduled poll (a real FDK
// process) fans out through the emulator's Functions invoke endpoint with the
// oci-functions client, and the emulator hands each detached call to the poll
// process, which sweeps its shard.

describe("local stack with AIDP_WATCH_SHARDS=2 (e2e)", () => {
  let bundle: { dir: string; func: string };
  let stack: Stack | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "aidp-watch-e2e-shards-"));

  beforeAll(async () => {
    bundle = await buildBundles();
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bundle.dir, { recursive: true, force: true });
  });

  it("routes the fan-out's detached invocations to the poll process, one per shard", async () => {
    stack = await startStack({ port: 0, dataDir, seed: true, speed: 20, pollIntervalMs: 60_000, entry: bundle.func, shards: 2 });
    const invokeApi = stack.emulator.service<FunctionsEmulator>("functions");
    const pollId = stackFunctionId("poll");
    const end = Date.now() + 30_000;
    while (invokeApi.invocations(pollId).filter((c) => c.status !== undefined).length < 2) {
      if (Date.now() > end) throw new Error(`shards not run: ${JSON.stringify(invokeApi.invocations(pollId))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const calls = invokeApi.invocations(pollId).slice(0, 2);
    expect(calls.map((c) => c.invokeType)).toEqual(["detached", "detached"]);
    expect(calls.map((c) => JSON.parse(c.body)).sort((a, b) => a.shard - b.shard)).toEqual([
      { shard: 0, of: 2 },
      { shard: 1, of: 2 },
    ]);
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    expect(stack.emulator.stats.count("functions.invokeFunction")).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
