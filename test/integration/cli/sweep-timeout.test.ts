import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../support/run-cli-in-process.js";
import { type ClientCredentials, provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { type NotificationsEmulator, notificationsService } from "../../../emulator/services/notifications/index.js";
import { objectStorageService } from "../../../emulator/services/object-storage/index.js";

/**
 * `aidp-watch sweep --timeout 12` against a service that accepts requests and
 * never answers (Object Storage, Notifications, AIDP in turn): the sweep ends
 * within 2 s after its 12 s, and the next sweep announces what the hung one
 * could not. As a user would run it, through the CLI and the real clients.
 */
const PLATFORM = "ocid1.aidataplatform.oc1.iad.hungplatform";
const TOPIC = "ocid1.onstopic.oc1.iad.hungtopic";
const TIMEOUT_S = 12;
let emu: Emulator;
let dir: string;
let creds: ClientCredentials;
let envFile: string;

async function sweep(timeoutS?: number): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const args = ["sweep", "--env-file", envFile, "--config-file", creds.configFile, "--auth", "config_file"];
  if (timeoutS !== undefined) args.push("--timeout", String(timeoutS));
  const t0 = Date.now();
  const run = await runCliCaptured(args);
  return { ...run, ms: Date.now() - t0 };
}

beforeAll(async () => {
  emu = await startEmulator({
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: "hungns", buckets: ["state"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "aw-hung-"));
  creds = provisionCredentials(dir, emu.registry);
  envFile = join(dir, "watch.env");
  writeFileSync(
    envFile,
    [
      `AIDP_WATCH_PLATFORM_IDS=${PLATFORM}`,
      `AIDP_WATCH_AIDP_ENDPOINT=${emu.url}`,
      `AIDP_WATCH_OBJECT_STORAGE_ENDPOINT=${emu.url}`,
      `AIDP_WATCH_NOTIFICATIONS_ENDPOINT=${emu.url}`,
      "AIDP_WATCH_STATE_BUCKET=state",
      `AIDP_WATCH_TOPIC_ID=${TOPIC}`,
      // One sweep per call (poll otherwise sweeps again until its deadline).
      "AIDP_WATCH_SWEEP_INTERVAL_SECONDS=0",
      "",
    ].join("\n"),
  );
});
afterEach(() => emu.faults.clear());
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sweep --timeout 12 against a hung service", () => {
  // `skip` lets the namespace lookup through for Object Storage, so the hang hits the sweep's own state reads.
  for (const [service, fault] of [
    ["Object Storage", { route: "os.*", hang: true, skip: 1 }],
    ["Notifications", { route: "ons.publishMessage", hang: true }],
    ["AIDP", { route: "aidp.*", hang: true }],
  ] as const) {
    it(`${service}: ends within 2 s after its 12 s; the next sweep announces what it could not`, { timeout: 60_000 }, async () => {
      const aidp = emu.service<AidpEmulator>("aidp");
      const key = aidp.addOperation(PLATFORM, {
        resourceType: "TABLE",
        actionType: "CREATE_TABLE",
        resourceName: `t.${service.length}`,
      }).key;
      const seen = await sweep();
      expect(seen.code, seen.stderr).toBe(0);
      aidp.setOperationStatus(PLATFORM, key, "FAILED", { errorMessage: "no capacity" });
      const before = emu.service<NotificationsEmulator>("notifications").messages(TOPIC).length;

      emu.faults.add(fault);
      const hung = await sweep(TIMEOUT_S);
      expect(hung.ms).toBeLessThan(TIMEOUT_S * 1000 + 2000);
      expect(hung.code).not.toBe(0);
      expect(emu.service<NotificationsEmulator>("notifications").messages(TOPIC).length).toBe(before);

      emu.faults.clear();
      const next = await sweep();
      expect(next.code, next.stderr).toBe(0);
      expect(JSON.parse(next.stdout)).toMatchObject({ published: 1, failed: 0 });
      const titles = emu
        .service<NotificationsEmulator>("notifications")
        .messages(TOPIC)
        .map((m) => m.title);
      expect(titles.slice(before)).toEqual([`FAILED · CREATE_TABLE · t.${service.length}`]);
    });
  }
});
