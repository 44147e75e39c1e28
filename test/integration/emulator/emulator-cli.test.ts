import { existsSync, readdirSync, readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import * as common from "oci-common";
import { describe, expect, it } from "vitest";
import { runEmulator } from "../../../cli/commands/emulator.js";
import { spawnEmulator, stopEmulator } from "../../support/emulator-process.js";
import { objectStorageClient, onsClient } from "../../support/sdk-clients.js";

function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  stderr.on("data", (c: Buffer) => {
    err += c.toString();
  });
  return { io: { stdin: new PassThrough(), stdout, stderr }, out: () => out, err: () => err };
}

describe("aidp-watch emulator (CLI)", () => {
  it("prints endpoints, namespace, topic, buckets, config file and resource-principal env that work with the SDK; SIGTERM stops it cleanly", async () => {
    const emu = await spawnEmulator(["--port", "0", "--bucket", "one", "--bucket", "two", "--topic", "ocid1.onstopic.oc1..clitest"]);
    const { info } = emu;
    try {
      expect(info).toMatchObject({
        namespace: "aidpwatch",
        topic: "ocid1.onstopic.oc1..clitest",
        buckets: ["one", "two"],
        profile: "DEFAULT",
        rateLimit: false,
        dataDir: null,
        ephemeral: true,
        credentialsReused: false,
      });
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.endpoints.objectStorage).toBe(info.url);
      expect(info.endpoints.aidp).toBe(info.url); // the AIDP service is built in
      expect(readFileSync(info.configFile, "utf8")).toContain("[DEFAULT]");
      expect(Object.keys(info.resourcePrincipalEnv).sort()).toEqual([
        "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM",
        "OCI_RESOURCE_PRINCIPAL_REGION",
        "OCI_RESOURCE_PRINCIPAL_RPST",
        "OCI_RESOURCE_PRINCIPAL_VERSION",
      ]);

      const provider = new common.ConfigFileAuthenticationDetailsProvider(info.configFile, info.profile);
      const os = objectStorageClient(provider, info.endpoints.objectStorage);
      const ons = onsClient(provider, info.endpoints.notifications);
      try {
        expect((await os.getNamespace({})).value).toBe("aidpwatch");
        await os.putObject({
          namespaceName: info.namespace,
          bucketName: "two",
          objectName: "hello.txt",
          putObjectBody: "hi",
          contentLength: 2,
        });
        await ons.publishMessage({ topicId: info.topic, messageDetails: { title: "Hello from the CLI test", body: "body" } });
      } finally {
        os.close();
        ons.close();
      }
      // The default EMAIL subscription rendered the message.
      const emails = readdirSync(info.emailDir);
      expect(emails).toHaveLength(1);
      expect(readFileSync(`${info.emailDir}/${emails[0]}`, "utf8")).toContain("Subject: Hello from the CLI test\r\n");

      // Resource principal, as OCI Functions would use it.
      const saved = { ...process.env };
      Object.assign(process.env, info.resourcePrincipalEnv);
      try {
        const rp = common.ResourcePrincipalAuthenticationDetailsProvider.builder();
        const rpClient = objectStorageClient(rp, info.url);
        expect((await rpClient.getNamespace({})).value).toBe("aidpwatch");
        rpClient.close();
      } finally {
        for (const k of Object.keys(info.resourcePrincipalEnv)) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
    } finally {
      expect(await stopEmulator(emu, "SIGTERM")).toBe(0);
    }
    expect(emu.stderr()).toContain("stopping (SIGTERM)");
    expect(existsSync(info.configFile)).toBe(false); // the temp state folder is removed
  });

  it("bad arguments: one line on stderr, exit 2", async () => {
    for (const args of [
      ["--port", "70000"],
      ["--port", "x"],
      ["--bogus"],
      ["--bucket", "no spaces"],
      ["--slack-webhook", "ftp://x"],
      ["positional"],
    ]) {
      const c = captureIo();
      expect(await runEmulator(args, c.io)).toBe(2);
      expect(c.out()).toBe("");
      expect(c.err()).toMatch(/^aidp-watch emulator: [^\n]+\n$/);
    }
  });

  it("runs in-process until aborted, then closes (exit 0)", async () => {
    const c = captureIo();
    const ac = new AbortController();
    const done = runEmulator(["--port", "0", "--rate-limit"], c.io, { signal: ac.signal });
    for (let i = 0; i < 200 && !c.out().trim().endsWith("}"); i++) await new Promise((r) => setTimeout(r, 25));
    const info = JSON.parse(c.out()) as { url: string; rateLimit: boolean };
    expect(info.rateLimit).toBe(true);
    expect((await fetch(`${info.url}/_emulator/health`)).status).toBe(200);
    ac.abort();
    expect(await done).toBe(0);
    await expect(fetch(`${info.url}/_emulator/health`)).rejects.toThrow();
  });
});
