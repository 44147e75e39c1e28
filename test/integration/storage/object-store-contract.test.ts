import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectStorageService } from "../../../emulator/services/object-storage/index.js";
import { MemoryObjectStore } from "../../support/memory-object-store.js";
import { type ObjectStore, ObjectStoreError, PreconditionFailedError } from "../../../shared/storage/object-store.js";
import { OciObjectStore } from "../../../shared/storage/oci-object-store.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { type EmulatorFixture, objectStorageClient, startEmulatorFixture } from "../../support/sdk-clients.js";

/**
 * The same contract for both adapters of the `ObjectStore` port: the memory
 * one (unit tests) must behave like the OCI one (checked against the emulator).
 */
let fx: EmulatorFixture;
let oci: OciObjectStore;
const PART = 64 * 1024;

beforeAll(async () => {
  fx = await startEmulatorFixture([objectStorageService({ namespace: "ns", buckets: ["b"] })]);
  const client = objectStorageClient(fx.provider, fx.emu.url);
  const namespace = await OciObjectStore.resolveNamespace(client, Deadline.in(10_000));
  oci = new OciObjectStore({ client, namespace, bucket: "b", partSize: PART, partConcurrency: 2 });
});
afterAll(async () => {
  await fx.close();
});

const deadline = () => Deadline.in(20_000);

for (const [name, store] of [
  ["memory", () => new MemoryObjectStore("b") as ObjectStore],
  ["oci (emulator)", () => oci as ObjectStore],
] as const) {
  describe(`ObjectStore contract: ${name}`, () => {
    const prefix = `${name.replace(/\W/g, "")}/${Math.random().toString(36).slice(2)}/`;

    it("creates once with if-none-match, replaces only the version read with if-match", async () => {
      const s = store();
      const n = `${prefix}a b/c.json`;
      expect(await s.get(n, { deadline: deadline() })).toBeUndefined();
      expect(await s.head(n, { deadline: deadline() })).toBeUndefined();
      const { etag } = await s.put(n, '{"v":1}', {
        ifNoneMatch: "*",
        contentType: "application/json",
        metadata: { origin: "test" },
        deadline: deadline(),
      });
      await expect(s.put(n, "{}", { ifNoneMatch: "*", deadline: deadline() })).rejects.toBeInstanceOf(PreconditionFailedError);
      const got = await s.get(n, { deadline: deadline() });
      expect(got).toMatchObject({ etag, contentType: "application/json", metadata: { origin: "test" } });
      expect(got!.body.toString()).toBe('{"v":1}');
      const { etag: e2 } = await s.put(n, '{"v":2}', { ifMatch: etag, deadline: deadline() });
      expect(e2).not.toBe(etag);
      await expect(s.put(n, '{"v":3}', { ifMatch: etag, deadline: deadline() })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect((await s.get(n, { deadline: deadline() }))!.body.toString()).toBe('{"v":2}');
      expect(await s.head(n, { deadline: deadline() })).toMatchObject({ etag: e2, size: 7 });
      await expect(s.delete(n, { ifMatch: etag, deadline: deadline() })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await s.delete(n, { ifMatch: e2, deadline: deadline() })).toBe(true);
      expect(await s.delete(n, { deadline: deadline() })).toBe(false);
    });

    it("lists names under a prefix in order, across pages", async () => {
      const s = store();
      const names = Array.from({ length: 1005 }, (_, i) => `${prefix}list/${String(i).padStart(5, "0")}`);
      for (let i = 0; i < names.length; i += 50)
        await Promise.all(names.slice(i, i + 50).map((n) => s.put(n, "x", { deadline: deadline() })));
      await s.put(`${prefix}other`, "x", { deadline: deadline() });
      const seen: string[] = [];
      for await (const n of s.list(`${prefix}list/`, { deadline: deadline() })) seen.push(n);
      expect(seen).toEqual(names);
      const after: string[] = [];
      for await (const n of s.list(`${prefix}list/`, { deadline: deadline(), startAfter: names[1000] })) after.push(n);
      expect(after).toEqual(names.slice(1001));
    }, 60_000);

    it("streams small and multipart bodies, with conditions on the final commit", async () => {
      const s = store();
      const big = Buffer.alloc(PART * 3 + 123);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      const chunks = (buf: Buffer) => Readable.from([buf.subarray(0, 1000), buf.subarray(1000, PART + 7), buf.subarray(PART + 7)]);
      const n = `${prefix}stream/big.bin`;
      const { etag } = await s.putStream(n, chunks(big), {
        ifNoneMatch: "*",
        contentType: "application/octet-stream",
        deadline: deadline(),
      });
      expect((await s.get(n, { deadline: deadline() }))!.body.equals(big)).toBe(true);
      await expect(s.putStream(n, chunks(big), { ifNoneMatch: "*", deadline: deadline() })).rejects.toBeInstanceOf(PreconditionFailedError);
      await s.putStream(n, chunks(big), { ifMatch: etag, size: big.length, deadline: deadline() });
      const empty = `${prefix}stream/empty`;
      await s.putStream(empty, Readable.from([]), { deadline: deadline() });
      expect((await s.get(empty, { deadline: deadline() }))!.body.length).toBe(0);
      await expect(
        s.putStream(`${prefix}stream/short`, Readable.from([Buffer.from("abc")]), { size: 4, deadline: deadline() }),
      ).rejects.toBeInstanceOf(ObjectStoreError);
    });
  });
}

describe("OciObjectStore failure mapping", () => {
  it("aborts a failed multipart upload and reports a typed error with context", async () => {
    const aborts = fx.emu.stats.count("os.abortMultipartUpload");
    fx.emu.faults.add({ route: "os.uploadPart", status: 400, code: "InvalidParameter", times: 1 });
    const err = await oci
      .putStream("fail/big.bin", Readable.from([Buffer.alloc(PART * 2 + 1)]), { deadline: deadline() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectStoreError);
    expect(err).not.toBeInstanceOf(PreconditionFailedError);
    expect((err as ObjectStoreError).context.object).toBe("fail/big.bin");
    expect(fx.emu.stats.count("os.abortMultipartUpload")).toBe(aborts + 1);
    expect(await oci.head("fail/big.bin", { deadline: deadline() })).toBeUndefined();
  });

  it("retries transient errors within the deadline", async () => {
    fx.emu.faults.add({ route: "os.putObject", status: 503, times: 2 });
    await expect(oci.put("retry/x", "x", { deadline: deadline() })).resolves.toHaveProperty("etag");
  });
});
