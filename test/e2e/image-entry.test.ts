import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionCredentials } from "../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../emulator/server.js";
import { aidpService } from "../../emulator/services/aidp/index.js";
import { notificationsService } from "../../emulator/services/notifications/index.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../emulator/services/object-storage/index.js";
import type { DoctorReport } from "../../shared/doctor/doctor-report.js";
import { buildBundles } from "../support/build-bundles.js";
import { materialiseImage } from "../support/dockerfile-image.js";
import { callFdk } from "../support/fdk-call.js";
import { type FdkFunction, startFdkFunction } from "../support/fdk-function.js";
import { type NodeBinary, nodeBinaries } from "../support/node-binaries.js";

// The image as the Dockerfile describes it, without a Docker daemon: the
// build context staged exactly as scripts/deploy.mjs stages it (its own
// --dry-run plan lists the files), from the bundle the other tests run; the
// Dockerfile's COPY/RUN carried out into a folder standing for WORKDIR; its
// ENTRYPOINT/CMD started under the real FDK on Node 20 and on Node 22 (the
// runtime OCI Functions has) when one is available (test/support/node-binaries.ts).
// What this cannot check: the base image itself (its Node patch release, OS,
// user), the architecture, the registry push, and OCI's runtime (docs/deploy.md).

const ROOT = join(import.meta.dirname, "..", "..");
const PLATFORM = "ocid1.aidataplatform.oc1.iad.imageentry";
const TOPIC = "ocid1.onstopic.oc1.iad.imageentry";
const { current, node22 } = nodeBinaries();
const binaries: NodeBinary[] = node22 && node22.path !== current.path ? [current, node22] : [current];

let emu: Emulator;
let work: string;
let bundleDir: string;
let context: string;
let env: Record<string, string>;
const running: FdkFunction[] = [];

/** The build context of one function, as deploy.mjs stages it (Dockerfile, .dockerignore, bundle…). */
function stageContext(): string {
  const r = spawnSync(
    process.execPath,
    ["scripts/deploy.mjs", "--push-only", "--registry", "r.example/ns/x", "--tag", "t", "--skip-build", "--dry-run", "--json"],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const files = (JSON.parse(r.stdout) as { contextFiles: string[] }).contextFiles;
  const dir = join(work, "context");
  for (const f of files) {
    // dist/ is the bundle the tests built (buildBundles), not the shared dist/ of the working tree.
    const from = f.startsWith("dist/") ? join(bundleDir, f.slice("dist/".length)) : join(ROOT, f);
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(from, join(dir, f), { recursive: true });
  }
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "aw-image-"));
  bundleDir = (await buildBundles()).dir;
  context = stageContext();
  emu = await startEmulator({
    services: [
      aidpService({ platforms: [PLATFORM] }),
      objectStorageService({ namespace: "imagens", buckets: ["state", "outputs"] }),
      notificationsService({ topics: [TOPIC] }),
    ],
  });
  const creds = provisionCredentials(join(work, "creds"), emu.registry);
  // Configured as Terraform configures poll (infra/locals.tf), pointed at the emulator.
  env = {
    ...creds.resourcePrincipalEnv,
    FN_FN_NAME: "aidp-watch-poll",
    AIDP_WATCH_HANDLER: "poll",
    AIDP_WATCH_AUTH: "resource_principal",
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_AIDP_ENDPOINT: emu.url,
    AIDP_WATCH_OBJECT_STORAGE_ENDPOINT: emu.url,
    AIDP_WATCH_NOTIFICATIONS_ENDPOINT: emu.url,
    AIDP_WATCH_NAMESPACE: "imagens",
    AIDP_WATCH_STATE_BUCKET: "state",
    AIDP_WATCH_OUTPUT_BUCKET: "outputs",
    AIDP_WATCH_TOPIC_ID: TOPIC,
    AIDP_WATCH_DEFAULT_TIMEOUT_MS: "300000",
  };
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((f) => f.stop()));
  await emu?.close();
  for (const d of [work, bundleDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("the Dockerfile's image, built and started without Docker", () => {
  it("is based on a pinned run image", () => {
    const image = materialiseImage({ dockerfile: join(context, "Dockerfile"), context, root: join(work, "pin-check"), node: current.path });
    expect(image.from).toMatch(/^fnproject\/node:22-\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/);
    expect(image.command[0]).toBe("node");
  });

  for (const node of binaries) {
    it(`its entry command serves the functions on Node ${node.version}: poll answers {"doctor": true} with its resource principal, and a bad body gets a clear error`, async () => {
      const root = join(work, `image-${node.version}`);
      const image = materialiseImage({ dockerfile: join(context, "Dockerfile"), context, root, node: node.path });
      const fn = await startFdkFunction({ node: node.path, args: image.command.slice(1), cwd: root, env });
      running.push(fn);
      const res = await callFdk(fn.socket, { doctor: true }, { deadlineMs: 30_000 });
      expect(res.status, `${res.body}\n${fn.output()}`).toBe(200);
      const report = res.json() as DoctorReport;
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ["configuration", true],
        ["authentication", true],
        [`platform ${PLATFORM}`, true],
        ["state bucket state", true],
        ["output bucket outputs", true],
      ]);
      // The probe is gone (the sweeps of other runs keep their state here).
      expect(
        emu
          .service<ObjectStorageEmulator>("objectstorage")
          .listObjectNames("state")
          .filter((n) => n.includes("/doctor/")),
      ).toEqual([]);
      const sweep = await callFdk(fn.socket, {}, { deadlineMs: 30_000 });
      expect(sweep.status, sweep.body).toBe(200);
      expect(sweep.json()).toMatchObject({ failed: 0 });
      const bad = await callFdk(fn.socket, { doctor: "please" }, { deadlineMs: 10_000 });
      expect(bad.status).toBe(502);
      expect(bad.body).toContain("invalid doctor request");
      await fn.stop();
    }, 120_000);
  }

  it.skipIf(node22 !== undefined)("is also run on Node 22 when NODE22_BINARY names a Node 22 binary (not set here)", () => {});
});
