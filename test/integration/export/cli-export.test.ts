import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseManifest } from "../../../shared/export/manifest.js";
import { runCliProcess } from "../../support/run-cli-process.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, startExportHarness, WS } from "./export-harness.js";

const cli = (args: string[]) => runCliProcess(args);

describe("aidp-watch export (CLI process against the emulator)", () => {
  let h: ExportHarness;
  const opts = () => [
    "--config-file",
    join(h.dir, "config"),
    "--aidp-endpoint",
    h.emu.url,
    "--os-endpoint",
    h.emu.url,
    "--bucket",
    OUT_BUCKET,
  ];
  beforeAll(async () => {
    h = await startExportHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("archives a task run's output, then reports it as already exported", async () => {
    const value = gzipSync(Buffer.from("from the CLI\n")).toString("base64");
    const { taskRunKeys } = h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "cli",
      tasks: [{ name: "t", output: { data: [{ type: "TEXT_PLAIN", isBase64: true, compression: "GZIP", value }], version: 7 } }],
    });
    const first = await cli(["export", PLATFORM, WS, taskRunKeys[0]!, "--prefix", "cli-out", ...opts()]);
    // (stderr may carry oci-common's own console.warn lines about expected 404s on HEAD.)
    expect(first.code, first.stderr).toBe(0);
    const outcome = JSON.parse(first.stdout) as { status: string; manifest: string };
    expect(outcome).toMatchObject({ status: "exported", version: 7, parts: 1 });
    expect(outcome.manifest).toMatch(new RegExp(`^cli-out/${PLATFORM}/${WS}/${taskRunKeys[0]}/output-[^/]+/v7/manifest\\.json$`));
    const manifest = parseManifest(h.os.getObject(OUT_BUCKET, outcome.manifest)!.body)!;
    expect(h.os.getObject(OUT_BUCKET, manifest.parts[0]!.status === "archived" ? manifest.parts[0]!.object : "")!.body.toString()).toBe(
      "from the CLI\n",
    );
    const again = await cli(["export", PLATFORM, WS, taskRunKeys[0]!, "--prefix", "cli-out", ...opts()]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: "already-exported", writes: 0 });
  });

  it("rejects hostile keys and a missing bucket as usage errors (exit 2), naming the rule", async () => {
    const hostile = await cli(["export", PLATFORM, "..", "tr", ...opts()]);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toMatch(/workspaceKey must not be '\.' or '\.\.'/);
    const noBucket = await cli(["export", PLATFORM, WS, "tr", "--config-file", join(h.dir, "config")]);
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toMatch(/--bucket/);
  });
});
