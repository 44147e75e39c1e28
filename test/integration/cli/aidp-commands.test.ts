import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientCredentials, provisionCredentials } from "../../../emulator/credentials.js";
import { type Emulator, startEmulator } from "../../../emulator/server.js";
import { type AidpEmulator, aidpService } from "../../../emulator/services/aidp/index.js";
import { runCli as runCliInProcess } from "../../../cli/registry.js";
import { runCliProcess } from "../../support/run-cli-process.js";

// The CLI runs as a real process (node + tsx) against an emulator in this process.
const PLATFORM = "ocid1.aidataplatform.oc1.iad.cli";

const runCli = runCliProcess;

describe("aidp-watch operations / task-runs (CLI process against the emulator)", () => {
  let emu: Emulator;
  let aidp: AidpEmulator;
  let dir: string;
  let creds: ClientCredentials;
  const common = () => ["--config-file", creds.configFile, "--aidp-endpoint", emu.url];

  beforeAll(async () => {
    emu = await startEmulator({ services: [aidpService({ platforms: [PLATFORM] })] });
    aidp = emu.service<AidpEmulator>("aidp");
    dir = mkdtempSync(join(tmpdir(), "aidp-cli-"));
    creds = provisionCredentials(dir, emu.registry);
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("operations get prints the operation as JSON", async () => {
    const { key } = aidp.addOperation(PLATFORM, { resourceType: "CLUSTER", actionType: "MAKE_IT_SO", resourceName: "w.c", durationMs: 0 });
    const r = await runCli(["operations", "get", PLATFORM, key, ...common()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key, resourceType: "CLUSTER", actionType: "MAKE_IT_SO", status: "SUCCEEDED" });
  });

  it("operations list follows pages and filters by status and resource type (session profile)", async () => {
    const p = "ocid1.aidataplatform.oc1..clilist";
    aidp.addPlatform(p);
    for (let i = 0; i < 5; i++)
      aidp.addOperation(p, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: `c.s.t${i}`, durationMs: 0 });
    aidp.addOperation(p, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "c.s.failed",
      durationMs: 0,
      finalStatus: "FAILED",
    });
    aidp.addOperation(p, { resourceType: "CLUSTER", actionType: "START_CLUSTER", resourceName: "w.c", durationMs: 0 });
    emu.stats.reset();
    const r = await runCli([
      "operations",
      "list",
      p,
      "--status",
      "SUCCEEDED",
      "--resource-type",
      "TABLE",
      "--limit",
      "2",
      "--profile",
      "SESSION",
      ...common(),
    ]);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout) as Array<{ resourceName: string; status: string }>;
    expect(items.map((i) => i.resourceName).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `c.s.t${i}`));
    expect(emu.stats.count("aidp.listAsyncOperations")).toBe(3);
  });

  it("task-runs output prints the TaskRunOutput (resource principal auth from the environment)", async () => {
    const { taskRunKeys } = aidp.addJobRun(PLATFORM, "ws", {
      jobKey: "j",
      tasks: [{ name: "n", output: { data: [{ type: "TEXT_PLAIN", value: "hi there" }] } }],
    });
    const r = await runCli(
      ["task-runs", "output", PLATFORM, "ws", taskRunKeys[0]!, "--aidp-endpoint", emu.url],
      creds.resourcePrincipalEnv,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ data: [{ type: "TEXT_PLAIN", value: "hi there" }], isTruncated: false });
    const wrong = await runCli(["task-runs", "output", PLATFORM, "ws", taskRunKeys[0]!, "--output-key", "nope", ...common()]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/status=404 code=NotAuthorizedOrNotFound opc-request-id=[A-Za-z0-9_-]+/);
  });

  it("operations cancel cancels a running operation; one that already ended is a 409, exit 1", async () => {
    const { key } = aidp.addOperation(PLATFORM, {
      resourceType: "CLUSTER",
      actionType: "START_CLUSTER",
      resourceName: "w.slow",
      durationMs: undefined,
    });
    const r = await runCli(["operations", "cancel", PLATFORM, key, ...common()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ operationKey: key, cancelRequested: true, operation: { key, status: "CANCELED" } });
    expect(JSON.parse((await runCli(["operations", "get", PLATFORM, key, ...common()])).stdout)).toMatchObject({ status: "CANCELED" });
    const done = aidp.addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "c.s.done",
      durationMs: 0,
    });
    const again = await runCli(["operations", "cancel", PLATFORM, done.key, ...common()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/status=409 code=IncorrectState/);
  });

  it("job-runs get prints the job run; an unknown one is a 404, exit 1", async () => {
    const { key: jobRunKey } = aidp.addJobRun(PLATFORM, "ws", {
      jobKey: "nightly",
      tasks: [{ name: "n", output: { data: [{ type: "TEXT_PLAIN", value: "x" }] } }],
    });
    const r = await runCli(["job-runs", "get", PLATFORM, "ws", jobRunKey, ...common()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: jobRunKey, jobKey: "nightly" });
    const missing = await runCli(["job-runs", "get", PLATFORM, "ws", "no-such-run", ...common()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/aidp\.getJobRun failed: 404/);
  });

  it("service errors: one stderr line with code, status and opc-request-id; exit 1", async () => {
    const r = await runCli(["operations", "get", PLATFORM, "missing", "--request-id", "cli-req-42", ...common()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^aidp-watch: aidp\.getAsyncOperation failed: 404 NotAuthorizedOrNotFound: .* \[status=404 code=NotAuthorizedOrNotFound opc-request-id=cli-req-42 attempts=1\]$/,
    );
  });

  it("a deadline-limited retry storm fails within --timeout", async () => {
    emu.faults.add({ route: "aidp.getAsyncOperation", status: 429, retryAfter: 30 });
    try {
      const t0 = Date.now();
      const r = await runCli(["operations", "get", PLATFORM, "x", "--timeout", "5", ...common()]);
      expect(Date.now() - t0).toBeLessThan(5_000 + 3_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/status=429 code=TooManyRequests .*deadline-limited\]/);
    } finally {
      emu.faults.clear();
    }
  });

  it("auth problems are one clear line, exit 1, with no key material", async () => {
    const r = await runCli([
      "operations",
      "get",
      PLATFORM,
      "k",
      "--config-file",
      creds.configFile,
      "--profile",
      "NOPE",
      "--aidp-endpoint",
      emu.url,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^aidp-watch: ProfileNotFoundError: profile \[NOPE\] not found in .*\n$/);
    expect(r.stderr).not.toContain("BEGIN");
  });

  it("usage errors exit 2", async () => {
    const cases = [
      ["operations"],
      ["operations", "frobnicate"],
      ["operations", "get", PLATFORM],
      ["operations", "list", PLATFORM, "--bogus"],
      ["operations", "list", PLATFORM, "--limit", "0"],
      ["operations", "get", PLATFORM, "k", "--auth", "magic"],
      ["operations", "get", PLATFORM, "k", "--timeout", "soon"],
      ["operations", "get", PLATFORM, "k".repeat(201), "--aidp-endpoint", "http://127.0.0.1:1"],
      ["task-runs", "output", PLATFORM, "ws"],
    ];
    const runs = await Promise.all(cases.map((args) => runCli(args)));
    runs.forEach((r, i) => {
      expect(r.code, cases[i]!.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^aidp-watch: /);
      expect(r.stdout).toBe("");
    });
    // The newer commands' usage errors, in process (they stop before any client or auth is built).
    for (const args of [["operations", "cancel", PLATFORM], ["job-runs", "get", PLATFORM, "ws"], ["job-runs", "list"], ["job-runs"]]) {
      const stderr = new PassThrough();
      const code = await runCliInProcess(args, { stdin: new PassThrough(), stdout: new PassThrough(), stderr });
      expect(code, args.join(" ")).toBe(2);
      expect(String(stderr.read())).toMatch(/^aidp-watch: /);
    }
    const help = await runCli(["operations", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("operations list <platformId>");
  });
});
