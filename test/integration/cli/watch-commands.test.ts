import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shardOf } from "../../../shared/watch/shard.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../support/run-cli-in-process.js";
import { parseEnvFile } from "../../../cli/env-file.js";
import { type ClientCredentials, provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { type NotificationsEmulator, notificationsService } from "../../../emulator/services/notifications/index.js";
import { objectStorageService } from "../../../emulator/services/object-storage/index.js";

const PLATFORM = "ocid1.aidataplatform.oc1.iad.cliplatform";
const TOPIC = "ocid1.onstopic.oc1.iad.clitopic";
let emu: Emulator;
let dir: string;
let creds: ClientCredentials;
let envFile: string;

const cli = runCliCaptured;

beforeAll(async () => {
  emu = await startEmulator({
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: "clins", buckets: ["state"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "aw-cli-"));
  creds = provisionCredentials(dir, emu.registry);
  envFile = join(dir, "watch.env");
  writeFileSync(
    envFile,
    [
      "# aidp-watch against the emulator",
      `AIDP_WATCH_PLATFORM_IDS=${PLATFORM}`,
      `AIDP_WATCH_AIDP_ENDPOINT=${emu.url}`,
      `AIDP_WATCH_OBJECT_STORAGE_ENDPOINT="${emu.url}"`,
      `export AIDP_WATCH_NOTIFICATIONS_ENDPOINT=${emu.url}`,
      "AIDP_WATCH_STATE_BUCKET=state",
      `AIDP_WATCH_TOPIC_ID=${TOPIC}`,
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("aidp-watch sweep / track", () => {
  it("tracks one operation and sweeps, with config from --env-file and config-file auth", async () => {
    const aidp = emu.service<AidpEmulator>("aidp");
    const done = aidp.addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "a.b.c",
      durationMs: 0,
      finalStatus: "SUCCEEDED",
    }).key;
    const running = aidp.addOperation(PLATFORM, { resourceType: "CLUSTER", actionType: "START_CLUSTER", resourceName: "w.c" }).key;

    const t = await cli(["track", PLATFORM, done, "--env-file", envFile, "--config-file", creds.configFile, "--auth", "config_file"]);
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ tracked: 1, published: 1 });

    // --once: a single pass even though an operation is in progress.
    const s1 = await cli(["sweep", "--once", "--env-file", envFile, "--config-file", creds.configFile, "--auth", "config_file"]);
    expect(s1.code, s1.stderr).toBe(0);
    expect(JSON.parse(s1.stdout)).toMatchObject({ discovered: 1, tracked: 1, failed: 0, sweeps: 1, loopExit: "once" });

    aidp.setOperationStatus(PLATFORM, running, "FAILED", { errorMessage: "no capacity" });
    const s2 = await cli(["sweep", "--env-file", envFile, "--config-file", creds.configFile, "--auth", "config_file"]);
    expect(JSON.parse(s2.stdout)).toMatchObject({ published: 1, tracked: 0 });
    expect(
      emu
        .service<NotificationsEmulator>("notifications")
        .messages(TOPIC)
        .map((m) => m.title),
    ).toEqual(["SUCCEEDED · CREATE_TABLE · a.b.c", "FAILED · START_CLUSTER · w.c"]);
  });

  it("sweep keeps sweeping while an operation runs, for up to --timeout seconds", async () => {
    const aidp = emu.service<AidpEmulator>("aidp");
    const before = emu.service<NotificationsEmulator>("notifications").messages(TOPIC).length;
    aidp.addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "cli.loop.t",
      durationMs: 1500,
      finalStatus: "SUCCEEDED",
    });
    process.env.AIDP_WATCH_SWEEP_INTERVAL_SECONDS = "1";
    try {
      const s = await cli(["sweep", "--timeout", "20", "--env-file", envFile, "--config-file", creds.configFile, "--auth", "config_file"]);
      expect(s.code, s.stderr).toBe(0);
      const summary = JSON.parse(s.stdout);
      expect(summary).toMatchObject({ published: 1, tracked: 0, failed: 0, loopExit: "idle" });
      expect(summary.sweeps).toBeGreaterThanOrEqual(2);
      expect(summary.calls).toMatchObject({ notifications: 1 });
      expect(
        emu
          .service<NotificationsEmulator>("notifications")
          .messages(TOPIC)
          .slice(before)
          .map((m) => m.title),
      ).toEqual(["SUCCEEDED · CREATE_TABLE · cli.loop.t"]);
    } finally {
      delete process.env.AIDP_WATCH_SWEEP_INTERVAL_SECONDS;
    }
  });

  it("reports usage and configuration problems clearly", async () => {
    expect((await cli(["track", PLATFORM, "--env-file", envFile])).code).toBe(2);
    const bad = await cli(["sweep", "--bogus"]);
    expect(bad.code).toBe(2);
    const noConfig = await cli(["sweep", "--env-file", join(dir, "missing.env")]);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toContain("cannot read --env-file");
    writeFileSync(join(dir, "typo.env"), "AIDP_WATCH_TOPIK_ID=x\n");
    const typo = await cli(["sweep", "--env-file", join(dir, "typo.env")]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("AIDP_WATCH_TOPIK_ID");
    expect((await cli(["sweep", "--help"])).stdout).toContain("usage: aidp-watch sweep");
    const badShard = await cli(["sweep", "--shard", "2/2", "--env-file", envFile]);
    expect(badShard.code).toBe(2);
    expect(badShard.stderr).toContain("--shard: shard must be an integer from 0 to 1");
  });

  it("sweeps one shard with --shard i/n", async () => {
    const mine = shardOf(PLATFORM, 2);
    const args = ["--env-file", envFile, "--config-file", creds.configFile, "--auth", "config_file"];
    const own = await cli(["sweep", "--shard", `${mine}/2`, ...args]);
    expect(own.code, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ watched: { shard: `${mine}/2`, platforms: 1, total: 1 } });
    const other = await cli(["sweep", `--shard=${1 - mine}/2`, ...args]);
    expect(JSON.parse(other.stdout)).toMatchObject({ watched: { shard: `${1 - mine}/2`, platforms: 0, total: 1 }, platforms: [] });
  });

  it("parses env files", () => {
    expect(parseEnvFile("A=1\n# c\n\nexport B='two words'\nC=\"x=y\"\n", "f")).toEqual({ A: "1", B: "two words", C: "x=y" });
    expect(parseEnvFile('M="one\ntwo"\nZ=3\n', "f")).toEqual({ M: "one\ntwo", Z: "3" });
    expect(() => parseEnvFile("nope", "f")).toThrow(/f:1/);
    expect(() => parseEnvFile("A=1\nnope\nB=2", "f")).toThrow(/f:2/);
  });
});
