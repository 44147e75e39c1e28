import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import * as common from "oci-common";
import { afterAll, describe, expect, it } from "vitest";
import { type EmulatorProcess, spawnEmulator, stopEmulator } from "../../support/emulator-process.js";
import { objectStorageClient, onsClient, readBody } from "../../support/sdk-clients.js";

const OBJECTS = 5;

/** Version `v` of object `i`: size and every byte depend on both, so a torn or mixed file can't pass. */
function content(i: number, v: number): Buffer {
  const size = 256 * 1024 + ((v * 7919 + i * 104_729) % (768 * 1024));
  const b = Buffer.alloc(size, (v * 31 + i) % 256);
  b.write(`object ${i} version ${v}\n`);
  return b;
}

describe("--data-dir persistence survives SIGKILL mid-write", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "aidp-emu-persist-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("every object is the last acknowledged version or a newer one, never torn (3 kill cycles)", async () => {
    const acked = new Map<number, number>();
    const sent = new Map<number, number>();
    let version = 0;
    let publishedBeforeKill = 0;
    let inFlightAtKill = 0;

    for (let cycle = 0; cycle < 3; cycle++) {
      const emu: EmulatorProcess = await spawnEmulator(["--port", "0", "--data-dir", dataDir, "--bucket", "crash"]);
      expect(emu.info.credentialsReused).toBe(cycle > 0);
      const provider = new common.ConfigFileAuthenticationDetailsProvider(emu.info.configFile, "DEFAULT");
      const client = objectStorageClient(provider, emu.info.url);
      const ons = onsClient(provider, emu.info.url);
      try {
        // What survived the previous kill.
        for (let i = 0; i < OBJECTS; i++) {
          if (!acked.has(i) && !sent.has(i)) continue;
          const r = await client.getObject({ namespaceName: emu.info.namespace, bucketName: "crash", objectName: `obj-${i}` });
          const body = await readBody(r.value);
          const v = Number(r.opcMeta?.["opc-meta-version"]);
          expect(v).toBeGreaterThanOrEqual(acked.get(i) ?? 0);
          expect(v).toBeLessThanOrEqual(sent.get(i) ?? 0);
          expect(body.equals(content(i, v))).toBe(true);
          expect(r.contentLength).toBe(body.length);
        }
        const messages = (await (await fetch(`${emu.info.endpoints.admin}/notifications/messages`)).json()) as unknown[];
        expect(messages.length).toBe(publishedBeforeKill);
        const bucketDir = join(dataDir, "objectstorage", emu.info.namespace, "crash");
        expect(readdirSync(bucketDir).filter((f) => f.startsWith(".tmp-"))).toEqual([]);

        await ons.publishMessage({ topicId: emu.info.topic, messageDetails: { title: `cycle ${cycle}`, body: "before the kill" } });
        publishedBeforeKill++;

        // A stream of overwrites of every object, killed while writes are in flight.
        let stop = false;
        const failures: unknown[] = [];
        const writers = Array.from({ length: OBJECTS }, async (_, i) => {
          while (!stop) {
            const v = ++version;
            sent.set(i, v);
            try {
              await client.putObject({
                namespaceName: emu.info.namespace,
                bucketName: "crash",
                objectName: `obj-${i}`,
                // A stream body: with a Buffer, oci-common runs Object.keys() over every byte before sending.
                putObjectBody: Readable.from([content(i, v)]),
                contentLength: content(i, v).length,
                opcMeta: { version: String(v) },
              });
              acked.set(i, v);
            } catch (err) {
              if (!stop) failures.push(err);
              return; // the emulator died under us
            }
          }
        });
        while (failures.length === 0 && ([...Array(OBJECTS).keys()].some((i) => !acked.has(i)) || version < (cycle + 1) * 40)) {
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(failures).toEqual([]);
        await new Promise((r) => setTimeout(r, 17 * (cycle + 1)));
        await stopEmulator(emu, "SIGKILL");
        stop = true;
        inFlightAtKill += [...sent].filter(([i, v]) => v > (acked.get(i) ?? 0)).length;
        await Promise.all(writers);
      } finally {
        client.close();
        ons.close();
        await stopEmulator(emu, "SIGKILL");
      }
    }
    expect(existsSync(join(dataDir, "notifications", "messages.jsonl"))).toBe(true);
    expect(inFlightAtKill).toBeGreaterThan(0); // the kills did land mid-write
  }, 120_000);
});
