import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../support/run-cli-in-process.js";
import { type ClientCredentials, generateKeyPair, provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { aidpService } from "../../../emulator/services/aidp/index.js";
import { type NotificationsEmulator, notificationsService } from "../../../emulator/services/notifications/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../../emulator/services/object-storage/index.js";
import { createPollHandler } from "../../../functions/poll/handler.js";
import type { DoctorCheck, DoctorReport } from "../../../shared/doctor/doctor-report.js";
import { OBJECT_PERMISSIONS } from "../../../shared/doctor/policy-statements.js";
import { createLogger } from "../../../shared/log/logger.js";
import { systemClock } from "../../../shared/time/clock.js";
import { Deadline } from "../../../shared/time/deadline.js";

// `aidp-watch doctor` against the emulator: a healthy configuration passes and
// leaves nothing behind; each broken part fails its own check with a fix.

const PLATFORM = "ocid1.aidataplatform.oc1.iad.doctorplatform";
const TOPIC = "ocid1.onstopic.oc1.iad.doctortopic";
let emu: Emulator;
let dir: string;
let creds: ClientCredentials;

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url,
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_OUTPUT_BUCKET: "outputs",
    AIDP_WATCH_TOPIC_ID: TOPIC,
    ...overrides,
  };
}

function envFile(values: Record<string, string>): string {
  const file = join(dir, `doctor-${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(
    file,
    `${Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  return file;
}

async function doctor(args: string[]): Promise<{ code: number; report: DoctorReport; stderr: string }> {
  const { code, stdout, stderr } = await runCliCaptured(["doctor", ...args]);
  return { code, report: stdout ? (JSON.parse(stdout) as DoctorReport) : { checks: [] }, stderr };
}

function check(report: DoctorReport, name: string): DoctorCheck {
  const c = report.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check "${name}" in ${JSON.stringify(report.checks.map((x) => x.name))}`);
  return c;
}

const storage = () => emu.service<ObjectStorageEmulator>("objectstorage");

beforeAll(async () => {
  emu = await startEmulator({
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: "doctorns", buckets: ["state", "outputs"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "aw-doctor-"));
  creds = provisionCredentials(dir, emu.registry);
});
afterEach(() => emu.faults.clear());
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("aidp-watch doctor", () => {
  it("passes a healthy configuration, leaves no object behind and publishes nothing without --publish-test", async () => {
    const r = await doctor(["--env-file", envFile(env()), "--config-file", creds.configFile, "--auth", "config_file"]);
    expect(r.code, JSON.stringify(r.report, null, 2)).toBe(0);
    expect(r.report.checks.map((c) => c.name)).toEqual([
      "configuration",
      "authentication",
      `platform ${PLATFORM}`,
      "state bucket state",
      "output bucket outputs",
    ]);
    expect(r.report.checks.every((c) => c.ok && c.fix === undefined)).toBe(true);
    expect(check(r.report, "authentication").detail).toContain("GetNamespace: doctorns");
    expect(check(r.report, "state bucket state").detail).toMatch(
      /created, inspected, read, overwrote and deleted aidp-watch\/doctor\/probe-/,
    );
    expect(check(r.report, "output bucket outputs").detail).toMatch(/outputs\/doctor\/probe-/);
    expect(storage().listObjectNames("state")).toEqual([]);
    expect(storage().listObjectNames("outputs")).toEqual([]);
    expect(emu.service<NotificationsEmulator>("notifications").messages(TOPIC)).toEqual([]);
  });

  it("--publish-test publishes one clearly labelled test message", async () => {
    const notifications = emu.service<NotificationsEmulator>("notifications");
    const before = notifications.messages(TOPIC).length;
    const r = await doctor(["--env-file", envFile(env()), "--config-file", creds.configFile, "--auth", "config_file", "--publish-test"]);
    expect(r.code, JSON.stringify(r.report, null, 2)).toBe(0);
    expect(check(r.report, `topic ${TOPIC}`).ok).toBe(true);
    const sent = notifications.messages(TOPIC).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.title).toBe("aidp-watch doctor: test message");
    expect(sent[0]?.body).toContain("No AI Data Platform operation ended");
  });

  it("names a missing bucket and the key to change (exit 1), and still runs the other checks", async () => {
    const r = await doctor([
      "--env-file",
      envFile(env({ AIDP_WATCH_STATE_BUCKET: "no-such-bucket" })),
      "--config-file",
      creds.configFile,
      "--auth",
      "config_file",
    ]);
    expect(r.code).toBe(1);
    const c = check(r.report, "state bucket no-such-bucket");
    expect(c.ok).toBe(false);
    expect(c.detail).toContain("bucket no-such-bucket does not exist in namespace doctorns");
    expect(c.fix).toContain("AIDP_WATCH_STATE_BUCKET");
    expect(check(r.report, "output bucket outputs").ok).toBe(true);
    expect(check(r.report, `platform ${PLATFORM}`).ok).toBe(true);
  });

  it("reports an API key the service doesn't know (401) with its fingerprint and user, and runs nothing that would fail the same way", async () => {
    const stranger = generateKeyPair();
    const keyFile = join(dir, "stranger.pem");
    writeFileSync(keyFile, stranger.privateKeyPem);
    const configFile = join(dir, "stranger-config");
    writeFileSync(
      configFile,
      `[DEFAULT]\nuser=ocid1.user.oc1..stranger\nfingerprint=${stranger.fingerprint}\ntenancy=ocid1.tenancy.oc1..emulatortenancy\nregion=us-ashburn-1\nkey_file=${keyFile}\n`,
    );
    const r = await doctor(["--env-file", envFile(env()), "--config-file", configFile, "--auth", "config_file"]);
    expect(r.code).toBe(1);
    const auth = check(r.report, "authentication");
    expect(auth.ok).toBe(false);
    expect(auth.detail).toContain("401 NotAuthenticated");
    expect(auth.detail).toContain(stranger.fingerprint);
    expect(auth.detail).toContain("ocid1.user.oc1..stranger");
    expect(auth.fix).toContain(`profile [DEFAULT] in ${configFile}`);
    expect(r.report.checks.map((c) => c.name)).toEqual(["configuration", "authentication"]);
    expect(JSON.stringify(r.report)).not.toContain("PRIVATE KEY");
  });

  it("names a platform this principal cannot see and the policy statement that would grant it", async () => {
    const hidden = "ocid1.aidataplatform.oc1.iad.notvisible";
    const r = await doctor([
      "--env-file",
      envFile(env({ AIDP_WATCH_PLATFORM_IDS: `${PLATFORM},${hidden}` })),
      "--config-file",
      creds.configFile,
      "--auth",
      "config_file",
    ]);
    expect(r.code).toBe(1);
    expect(check(r.report, `platform ${PLATFORM}`).ok).toBe(true);
    const c = check(r.report, `platform ${hidden}`);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain("404 NotAuthorizedOrNotFound");
    expect(c.fix).toBe(
      `Allow group <a group of user ocid1.user.oc1..emulatoruser> to use ai-data-platforms in compartment id <compartment of ${hidden}>`,
    );
  });

  it("says a throttled service is throttled, not misconfigured", async () => {
    emu.faults.add({ route: "aidp.listAsyncOperations", status: 429 });
    const r = await doctor(["--env-file", envFile(env()), "--config-file", creds.configFile, "--auth", "config_file", "--timeout", "4"]);
    expect(r.code).toBe(1);
    const c = check(r.report, `platform ${PLATFORM}`);
    expect(c.ok).toBe(false);
    expect(c.detail).toMatch(/^throttled listing async operations/);
    expect(c.detail).toContain("429 TooManyRequests");
    expect(c.fix).toMatch(/^none needed in the configuration/);
    // The buckets were still probed, and cleaned up.
    expect(check(r.report, "state bucket state").ok).toBe(true);
    expect(storage().listObjectNames("state")).toEqual([]);
  });

  it("a bucket write refused half-way leaves nothing behind and gives the object grant", async () => {
    emu.faults.add({ route: "os.getObject", status: 404, code: "NotAuthorizedOrNotFound" });
    const r = await doctor(["--env-file", envFile(env()), "--config-file", creds.configFile, "--auth", "config_file"]);
    const c = check(r.report, "state bucket state");
    expect(c.ok).toBe(false);
    expect(c.fix).toBe(
      `Allow group <a group of user ocid1.user.oc1..emulatoruser> to manage objects in compartment id <compartment of bucket state> where all {target.bucket.name = 'state', any {${OBJECT_PERMISSIONS.map((p) => `request.permission = '${p}'`).join(", ")}}}`,
    );
    expect(storage().listObjectNames("state")).toEqual([]);
    expect(storage().listObjectNames("outputs")).toEqual([]);
  });

  it("fails the configuration check with the key to fix, and runs nothing else", async () => {
    const r = await doctor(["--env-file", envFile(env({ AIDP_WATCH_TOPIK_ID: "x" })), "--config-file", creds.configFile]);
    expect(r.code).toBe(1);
    expect(r.report.checks).toHaveLength(1);
    expect(r.report.checks[0]).toMatchObject({ name: "configuration", ok: false });
    expect(r.report.checks[0]?.fix).toContain("AIDP_WATCH_TOPIK_ID");
    expect((await doctor(["--bogus"])).code).toBe(2);
  });
});

describe('poll with {"doctor": true}', () => {
  it("answers the same report, checked with the function's own resource principal and configuration", async () => {
    const fnEnv = { ...creds.resourcePrincipalEnv, ...env({ AIDP_WATCH_AUTH: "resource_principal", AIDP_WATCH_NAMESPACE: "doctorns" }) };
    const handler = createPollHandler({
      env: fnEnv,
      services: () => Promise.reject(new Error("a doctor request must not build the sweep's services")),
    });
    const logger = createLogger({ level: "silent" });
    const deadline = Deadline.in(30_000);
    const invocation = { workDeadline: deadline, hardDeadline: deadline, callId: "c1", logger, config: {} as never, clock: systemClock };
    const report = (await handler({ doctor: true }, invocation)) as unknown as DoctorReport;
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["configuration", true],
      ["authentication", true],
      [`platform ${PLATFORM}`, true],
      ["state bucket state", true],
      ["output bucket outputs", true],
    ]);
    expect(check(report, "authentication").detail).toContain("as the resource principal");
    expect(storage().listObjectNames("state")).toEqual([]);
    // A broken bucket grant names the dynamic group, not a user.
    const broken = createPollHandler({ env: { ...fnEnv, AIDP_WATCH_OUTPUT_BUCKET: "gone" } });
    const r2 = (await broken({ doctor: true, publishTest: true }, invocation)) as unknown as DoctorReport;
    expect(check(r2, "output bucket gone").fix).toContain(
      "dynamic-group id <the functions' dynamic group: terraform output dynamic_group_id>",
    );
    expect(check(r2, `topic ${TOPIC}`).ok).toBe(true);
    await expect(handler({ doctor: "yes" }, invocation)).rejects.toThrow(/invalid doctor request/);
  });
});
