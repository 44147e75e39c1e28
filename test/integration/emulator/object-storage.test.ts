import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import * as common from "oci-common";
import { type ObjectStorageClient, UploadManager } from "oci-objectstorage";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../../emulator/credentials.js";
import { type ObjectStorageEmulator, objectStorageService } from "../../../emulator/services/object-storage/index.js";
import { type EmulatorFixture, objectStorageClient, readBody, rejection, startEmulatorFixture } from "../../support/sdk-clients.js";

const ns = "aidpwatch";
const bucketName = "b1";

describe("Object Storage emulator through the real oci-objectstorage client", () => {
  let fx: EmulatorFixture;
  let client: ObjectStorageClient;
  let os: ObjectStorageEmulator;

  beforeAll(async () => {
    fx = await startEmulatorFixture([objectStorageService({ buckets: [bucketName, "paging", "multipart"] })]);
    client = objectStorageClient(fx.provider, fx.emu.url);
    os = fx.emu.service<ObjectStorageEmulator>("objectstorage");
  });
  afterAll(async () => {
    client.close();
    await fx.close();
  });
  beforeEach(() => {
    fx.emu.faults.clear();
  });

  const put = (objectName: string, body: string | Buffer, extra: Record<string, unknown> = {}) =>
    client.putObject({ namespaceName: ns, bucketName, objectName, putObjectBody: body, contentLength: Buffer.byteLength(body), ...extra });
  const get = async (objectName: string, extra: Record<string, unknown> = {}) => {
    const r = await client.getObject({ namespaceName: ns, bucketName, objectName, ...extra });
    return { ...r, body: await readBody(r.value) };
  };

  it("GetNamespace answers the namespace as a JSON string", async () => {
    expect((await client.getNamespace({})).value).toBe(ns);
  });

  it("PutObject/GetObject/HeadObject/DeleteObject round-trip bytes, headers and metadata", async () => {
    const body = Buffer.from('{"hello":"wörld"}');
    const md5 = createHash("md5").update(body).digest("base64");
    const p = await put("dir/a b+ü?#%.json", body, {
      contentType: "application/json",
      contentEncoding: "identity",
      contentMD5: md5,
      opcMeta: { "run-id": "r1", stage: "done" },
    });
    expect(p.eTag).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.opcContentMd5).toBe(md5);
    expect(p.lastModified).toBeTruthy();

    const g = await get("dir/a b+ü?#%.json");
    expect(g.body.equals(body)).toBe(true);
    expect(g.eTag).toBe(p.eTag);
    expect(g.contentLength).toBe(body.length);
    expect(g.contentType).toBe("application/json");
    expect(g.contentEncoding).toBe("identity");
    expect(g.contentMd5).toBe(md5);
    expect(g.opcMeta).toEqual({ "opc-meta-run-id": "r1", "opc-meta-stage": "done" });
    expect(os.getObject(bucketName, "dir/a b+ü?#%.json")?.meta).toEqual({ "run-id": "r1", stage: "done" });

    const h = await client.headObject({ namespaceName: ns, bucketName, objectName: "dir/a b+ü?#%.json" });
    expect(h.eTag).toBe(p.eTag);
    expect(h.contentLength).toBe(body.length);
    expect(h.opcMeta).toEqual({ "opc-meta-run-id": "r1", "opc-meta-stage": "done" });

    await client.deleteObject({ namespaceName: ns, bucketName, objectName: "dir/a b+ü?#%.json" });
    const gone = await rejection(get("dir/a b+ü?#%.json"));
    expect(gone).toMatchObject({ statusCode: 404, serviceCode: "ObjectNotFound" });
    expect(gone.opcRequestId).toBeTruthy();
  });

  it("gives a new ETag on every write, even of identical bytes", async () => {
    const a = await put("etag", "same");
    const b = await put("etag", "same");
    expect(a.eTag).not.toBe(b.eTag);
    expect(a.opcContentMd5).toBe(b.opcContentMd5);
  });

  it("stores object names exactly: 1024 characters, '/', '%', emoji; rejects 1025 characters and CR/LF", async () => {
    const long = `${"ä".repeat(1000)}/${"x".repeat(21)}🙂`;
    expect([...long].length).toBe(1023);
    for (const name of [long, `${long}z`, "%2F already-encoded", "a//b/", " lead and trail "]) {
      await put(name, name);
      expect((await get(name)).body.toString()).toBe(name);
    }
    expect(os.listObjectNames(bucketName)).toContain("%2F already-encoded");
    expect(await rejection(put(`${long}zz`, "x"))).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    expect(await rejection(put("bad\nname", "x"))).toMatchObject({ statusCode: 400 });
    expect(await rejection(put("bad\rname", "x"))).toMatchObject({ statusCode: 400 });
  });

  it("answers byte ranges with 206 and Content-Range, and 416 beyond the end", async () => {
    await put("range", "0123456789");
    const r = await get("range", { range: new common.Range(2, 5, null) });
    expect(r.body.toString()).toBe("2345");
    expect(r.contentLength).toBe(4);
    // oci-common's convertStringToType lower-cases "common.Range" and never matches it, so the SDK leaves
    // contentRange undefined whatever the server sends; the 206 body above is what a caller can rely on.
    expect((await get("range", { range: new common.Range(7, 100, null) })).body.toString()).toBe("789");
    // The SDK renders open ranges as "bytes=null-3"; like any HTTP server we ignore a malformed Range (200, whole object).
    expect((await get("range", { range: new common.Range(null, 3, null) })).body.toString()).toBe("0123456789");
    expect(await rejection(get("range", { range: new common.Range(10, 12, null) }))).toMatchObject({ statusCode: 416 });
  });

  it("checks Content-MD5 when sent: a mismatch is 400 UnmatchedContentMD5 and the object is unchanged", async () => {
    await put("md5", "v1");
    const err = await rejection(put("md5", "v2", { contentMD5: createHash("md5").update("other").digest("base64") }));
    expect(err).toMatchObject({ statusCode: 400, serviceCode: "UnmatchedContentMD5" });
    expect((await get("md5")).body.toString()).toBe("v1");
  });

  it("404s: BucketNotFound for a missing bucket, ObjectNotFound for HEAD/DELETE of a missing object", async () => {
    expect(await rejection(client.getObject({ namespaceName: ns, bucketName: "nope", objectName: "x" }))).toMatchObject({
      statusCode: 404,
      serviceCode: "BucketNotFound",
    });
    expect(await rejection(client.headObject({ namespaceName: ns, bucketName, objectName: "missing" }))).toMatchObject({ statusCode: 404 });
    expect(await rejection(client.deleteObject({ namespaceName: ns, bucketName, objectName: "missing" }))).toMatchObject({
      statusCode: 404,
      serviceCode: "ObjectNotFound",
    });
  });

  describe("conditional writes", () => {
    it("if-none-match: * creates once, then 412 IfNoneMatchFailed with the object unchanged", async () => {
      await put("cond-create", "first", { ifNoneMatch: "*" });
      expect(await rejection(put("cond-create", "second", { ifNoneMatch: "*" }))).toMatchObject({
        statusCode: 412,
        serviceCode: "IfNoneMatchFailed",
      });
      expect((await get("cond-create")).body.toString()).toBe("first");
    });

    it("if-match overwrites only the current ETag; a stale one is 412 IfMatchFailed", async () => {
      const v1 = await put("cond-update", "v1");
      const v2 = await put("cond-update", "v2", { ifMatch: v1.eTag });
      expect(await rejection(put("cond-update", "v3", { ifMatch: v1.eTag }))).toMatchObject({
        statusCode: 412,
        serviceCode: "IfMatchFailed",
      });
      expect(await rejection(put("cond-missing", "x", { ifMatch: v1.eTag }))).toMatchObject({ statusCode: 412 });
      const g = await get("cond-update");
      expect(g.body.toString()).toBe("v2");
      expect(g.eTag).toBe(v2.eTag);
    });

    it("if-match on DELETE: a stale ETag is 412 and the object stays; the current one deletes", async () => {
      const v1 = await put("cond-delete", "v1");
      const v2 = await put("cond-delete", "v2");
      expect(
        await rejection(client.deleteObject({ namespaceName: ns, bucketName, objectName: "cond-delete", ifMatch: v1.eTag })),
      ).toMatchObject({ statusCode: 412 });
      expect((await get("cond-delete")).body.toString()).toBe("v2");
      await client.deleteObject({ namespaceName: ns, bucketName, objectName: "cond-delete", ifMatch: v2.eTag });
      expect(os.getObject(bucketName, "cond-delete")).toBeUndefined();
    });

    it("GET honours if-none-match (304 → no error, no body) and if-match (412)", async () => {
      const v = await put("cond-get", "v");
      expect(await rejection(get("cond-get", { ifMatch: "not-it" }))).toMatchObject({ statusCode: 412 });
      const h = await client.headObject({ namespaceName: ns, bucketName, objectName: "cond-get", ifMatch: v.eTag });
      expect(h.eTag).toBe(v.eTag);
    });

    it("races: of two concurrent if-none-match: * puts exactly one wins (20 rounds)", async () => {
      for (let round = 0; round < 20; round++) {
        const name = `race-create-${round}`;
        const results = await Promise.allSettled([put(name, "A", { ifNoneMatch: "*" }), put(name, "B", { ifNoneMatch: "*" })]);
        const ok = results.filter((r) => r.status === "fulfilled");
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(1);
        expect(failed[0]!.reason).toMatchObject({ statusCode: 412 });
        const winner = results[0]!.status === "fulfilled" ? "A" : "B";
        expect(os.getObject(bucketName, name)?.body.toString()).toBe(winner);
      }
    });

    it("races: two if-match writers holding the same ETag, one wins and its bytes are stored (20 rounds)", async () => {
      for (let round = 0; round < 20; round++) {
        const name = `race-update-${round}`;
        const base = await put(name, "base");
        const results = await Promise.allSettled([put(name, "A", { ifMatch: base.eTag }), put(name, "B", { ifMatch: base.eTag })]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const winnerIndex = results.findIndex((r) => r.status === "fulfilled");
        const win = results[winnerIndex] as PromiseFulfilledResult<{ eTag: string }>;
        const stored = os.getObject(bucketName, name)!;
        expect(stored.body.toString()).toBe(winnerIndex === 0 ? "A" : "B");
        expect(stored.etag).toBe(win.value.eTag);
      }
    });
  });

  describe("ListObjects", () => {
    beforeAll(async () => {
      for (const n of ["logs/2026/a.txt", "logs/2026/b.txt", "logs/2027/c.txt", "logs/top.txt", "other.txt", "logs0.txt"]) {
        await client.putObject({ namespaceName: ns, bucketName: "multipart", objectName: n, putObjectBody: n, contentLength: n.length });
      }
    });
    const list = (extra: Record<string, unknown>) =>
      client.listObjects({ namespaceName: ns, bucketName: "multipart", ...extra }).then((r) => r.listObjects);

    it("filters by prefix, rolls up with delimiter=/, and returns only the requested fields", async () => {
      const all = await list({ prefix: "logs/" });
      expect(all.objects.map((o) => o.name)).toEqual(["logs/2026/a.txt", "logs/2026/b.txt", "logs/2027/c.txt", "logs/top.txt"]);
      expect(all.objects[0]).toEqual({ name: "logs/2026/a.txt" });
      const rolled = await list({ prefix: "logs/", delimiter: "/" });
      expect(rolled.objects.map((o) => o.name)).toEqual(["logs/top.txt"]);
      expect(rolled.prefixes).toEqual(["logs/2026/", "logs/2027/"]);
      const withFields = await list({ prefix: "other", fields: "name,size,etag,md5,timeCreated,timeModified" });
      const o = withFields.objects[0]!;
      expect(o).toMatchObject({ name: "other.txt", size: 9, md5: createHash("md5").update("other.txt").digest("base64") });
      expect(o.etag).toBe(os.getObject("multipart", "other.txt")?.etag);
      expect(new Date(o.timeCreated!).getTime()).toBeGreaterThan(0);
    });

    it("honours start (inclusive), end (exclusive) and startAfter (exclusive)", async () => {
      expect((await list({ start: "logs/2027/c.txt", end: "logs0.txt" })).objects.map((o) => o.name)).toEqual([
        "logs/2027/c.txt",
        "logs/top.txt",
      ]);
      expect((await list({ startAfter: "logs/top.txt" })).objects.map((o) => o.name)).toEqual(["logs0.txt", "other.txt"]);
    });

    it("rejects an unsupported delimiter, limit and field with 400", async () => {
      expect(await rejection(list({ delimiter: "|" }))).toMatchObject({ statusCode: 400 });
      expect(await rejection(list({ limit: 1001 }))).toMatchObject({ statusCode: 400 });
      expect(await rejection(list({ fields: "name,colour" }))).toMatchObject({ statusCode: 400 });
    });

    it("pages over 2,500 objects with limit 1000 and nextStartWith: every name exactly once, in order", async () => {
      const names = Array.from({ length: 2500 }, (_, i) => `item/${String(i).padStart(5, "0")}-${i % 7}`);
      for (let i = 0; i < names.length; i += 50) {
        await Promise.all(
          names
            .slice(i, i + 50)
            .map((n) =>
              client.putObject({ namespaceName: ns, bucketName: "paging", objectName: n, putObjectBody: n, contentLength: n.length }),
            ),
        );
      }
      const seen: string[] = [];
      let start: string | undefined;
      let pages = 0;
      do {
        const page = (await client.listObjects({ namespaceName: ns, bucketName: "paging", limit: 1000, start })).listObjects;
        seen.push(...page.objects.map((o) => o.name));
        start = page.nextStartWith;
        pages++;
      } while (start !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual([...names].sort());
      expect(new Set(seen).size).toBe(2500);

      const viaIterator: string[] = [];
      for await (const o of client.listObjectsRecordIterator({ namespaceName: ns, bucketName: "paging", limit: 700 }))
        viaIterator.push(o.name);
      expect(viaIterator).toEqual(seen);

      const rolled = (await client.listObjects({ namespaceName: ns, bucketName: "paging", delimiter: "/", limit: 1 })).listObjects;
      expect(rolled.prefixes).toEqual(["item/"]);
      expect(rolled.nextStartWith).toBeUndefined();
    });
  });

  describe("multipart upload", () => {
    it("create / upload part / list parts / commit through the raw API, with opc-multipart-md5", async () => {
      const objectName = "mp/raw.bin";
      const parts = [randomBytes(1024 * 1024), randomBytes(5000)];
      const created = await client.createMultipartUpload({
        namespaceName: ns,
        bucketName,
        createMultipartUploadDetails: { object: objectName, contentType: "application/x-test", metadata: { "opc-meta-kind": "raw" } },
      });
      const uploadId = created.multipartUpload.uploadId;
      expect(created.multipartUpload).toMatchObject({ namespace: ns, bucket: bucketName, object: objectName });
      const etags: string[] = [];
      for (const [i, p] of parts.entries()) {
        const r = await client.uploadPart({
          namespaceName: ns,
          bucketName,
          objectName,
          uploadId,
          uploadPartNum: i + 1,
          uploadPartBody: p,
          contentLength: p.length,
          contentMD5: createHash("md5").update(p).digest("base64"),
        });
        expect(r.opcContentMd5).toBe(createHash("md5").update(p).digest("base64"));
        etags.push(r.eTag!);
      }
      const listed = await client.listMultipartUploadParts({ namespaceName: ns, bucketName, objectName, uploadId });
      expect(listed.items.map((p) => [p.partNumber, p.size, p.etag])).toEqual([
        [1, parts[0]!.length, etags[0]],
        [2, parts[1]!.length, etags[1]],
      ]);
      const committed = await client.commitMultipartUpload({
        namespaceName: ns,
        bucketName,
        objectName,
        uploadId,
        commitMultipartUploadDetails: { partsToCommit: etags.map((etag, i) => ({ partNum: i + 1, etag })) },
      });
      const partMd5s = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
      expect(committed.opcMultipartMd5).toBe(`${createHash("md5").update(partMd5s).digest("base64")}-2`);
      const g = await get(objectName);
      expect(g.body.equals(Buffer.concat(parts))).toBe(true);
      expect(g.opcMultipartMd5).toBe(committed.opcMultipartMd5);
      expect(g.contentType).toBe("application/x-test");
      expect(g.opcMeta).toEqual({ "opc-meta-kind": "raw" });
      expect(g.eTag).toBe(committed.eTag);
    });

    it("abort discards the upload (then 404 NoSuchUpload); a wrong part ETag fails the commit", async () => {
      const objectName = "mp/aborted.bin";
      const { multipartUpload } = await client.createMultipartUpload({
        namespaceName: ns,
        bucketName,
        createMultipartUploadDetails: { object: objectName },
      });
      const uploadId = multipartUpload.uploadId;
      await client.uploadPart({
        namespaceName: ns,
        bucketName,
        objectName,
        uploadId,
        uploadPartNum: 1,
        uploadPartBody: "abc",
        contentLength: 3,
      });
      const bad = await rejection(
        client.commitMultipartUpload({
          namespaceName: ns,
          bucketName,
          objectName,
          uploadId,
          commitMultipartUploadDetails: { partsToCommit: [{ partNum: 1, etag: "wrong" }] },
        }),
      );
      expect(bad).toMatchObject({ statusCode: 400 });
      await client.abortMultipartUpload({ namespaceName: ns, bucketName, objectName, uploadId });
      expect(await rejection(client.listMultipartUploadParts({ namespaceName: ns, bucketName, objectName, uploadId }))).toMatchObject({
        statusCode: 404,
        serviceCode: "NoSuchUpload",
      });
      expect(os.getObject(bucketName, objectName)).toBeUndefined();
    });

    it("if-none-match: * on a multipart commit loses to an object created meanwhile (412)", async () => {
      const objectName = "mp/cond.bin";
      const { multipartUpload } = await client.createMultipartUpload({
        namespaceName: ns,
        bucketName,
        ifNoneMatch: "*",
        createMultipartUploadDetails: { object: objectName },
      });
      const part = await client.uploadPart({
        namespaceName: ns,
        bucketName,
        objectName,
        uploadId: multipartUpload.uploadId,
        uploadPartNum: 1,
        uploadPartBody: "x",
        contentLength: 1,
      });
      await put(objectName, "someone else");
      const err = await rejection(
        client.commitMultipartUpload({
          namespaceName: ns,
          bucketName,
          objectName,
          uploadId: multipartUpload.uploadId,
          commitMultipartUploadDetails: { partsToCommit: [{ partNum: 1, etag: part.eTag! }] },
        }),
      );
      expect(err).toMatchObject({ statusCode: 412 });
      expect((await get(objectName)).body.toString()).toBe("someone else");
    });

    it("UploadManager uploads a 100 MB file in parts; the committed object has the right size and MD5", async () => {
      // A file source: UploadManager then sends each part as a file stream. (With Buffer parts oci-common's
      // isEmpty() runs Object.keys() over every byte of the body: ~7 s and ~400 MB per 10 MB part.)
      const total = 100 * 1024 * 1024;
      const chunk = 1024 * 1024;
      const expected = createHash("md5");
      const file = join(fx.dir, "100mb.bin");
      const out = createWriteStream(file);
      for (let i = 0; i < total / chunk; i++) {
        const b = Buffer.alloc(chunk, i % 251);
        b.writeUInt32BE(i, 0);
        expected.update(b);
        if (!out.write(b)) await once(out, "drain");
      }
      out.end();
      await once(out, "finish");
      const expectedMd5 = expected.digest("base64");

      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 20);
      const t0 = performance.now();
      try {
        const manager = new UploadManager(client, { partSize: 10 * 1024 * 1024, maxConcurrentUploads: 4 });
        const r = await manager.upload({
          content: { filePath: file },
          requestDetails: { namespaceName: ns, bucketName: "multipart", objectName: "big/100mb.bin" },
        });
        expect(r.multipartMd5).toMatch(/-10$/);
      } finally {
        clearInterval(sampler);
      }
      const uploadMs = performance.now() - t0;

      const head = await client.headObject({ namespaceName: ns, bucketName: "multipart", objectName: "big/100mb.bin" });
      expect(head.contentLength).toBe(total);
      expect(head.opcMultipartMd5).toMatch(/-10$/);
      const got = await client.getObject({ namespaceName: ns, bucketName: "multipart", objectName: "big/100mb.bin" });
      const actual = createHash("md5");
      let size = 0;
      // Our client configuration sends through minipass-fetch: the body is a Node stream (a web stream with the global fetch).
      const body =
        got.value instanceof ReadableStream
          ? Readable.fromWeb(got.value as WebReadableStream<Uint8Array>)
          : (got.value as AsyncIterable<Buffer>);
      for await (const c of body) {
        actual.update(c as Buffer);
        size += (c as Buffer).length;
      }
      expect(size).toBe(total);
      expect(actual.digest("base64")).toBe(expectedMd5);
      console.info(
        `[os-emulator] 100 MB UploadManager upload: ${Math.round(uploadMs)} ms, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB (before ${Math.round(rssBefore / 2 ** 20)} MiB)`,
      );
    });
  });

  describe("faults and authentication", () => {
    it("injects a status + code with Retry-After on one route only", async () => {
      fx.emu.faults.add({ route: "os.putObject", status: 503, code: "ServiceUnavailable", retryAfter: 7, times: 1 });
      const err = await rejection(put("fault", "x"));
      expect(err).toMatchObject({ statusCode: 503, serviceCode: "ServiceUnavailable" });
      await put("fault", "ok");
      expect((await get("fault")).body.toString()).toBe("ok");
      fx.emu.faults.add({ route: "os.listObjects", status: 429, code: "TooManyRequests" });
      expect(await rejection(client.listObjects({ namespaceName: ns, bucketName }))).toMatchObject({
        statusCode: 429,
        serviceCode: "TooManyRequests",
      });
      expect((await get("fault")).body.toString()).toBe("ok");
    });

    it("injects latency, a connection reset, and a hang that outlasts the client's timeout", async () => {
      fx.emu.faults.add({ route: "os.headObject", latencyMs: 300, times: 1 });
      const t0 = performance.now();
      await put("slow", "x");
      await client.headObject({ namespaceName: ns, bucketName, objectName: "slow" });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);

      fx.emu.faults.add({ route: "os.getObject", reset: true, times: 1 });
      const reset = await rejection(get("slow"));
      expect(reset.statusCode).toBeUndefined();
      expect(String(reset.message)).toMatch(/fetch failed|socket|terminated/i);

      fx.emu.faults.add({ route: "os.getObject", hang: true, times: 1 });
      const timed = objectStorageClient(fx.provider, fx.emu.url, {
        circuitBreaker: new common.CircuitBreaker({ timeout: 400, volumeThreshold: 1000 }),
      });
      try {
        const t1 = performance.now();
        const hung = await rejection(timed.getObject({ namespaceName: ns, bucketName, objectName: "slow" }));
        expect(String(hung.message)).toMatch(/timed out/i);
        expect(performance.now() - t1).toBeLessThan(5000);
      } finally {
        timed.close();
      }
      expect(fx.emu.stats.count("os.getObject")).toBeGreaterThanOrEqual(2);
    });

    it("rejects requests signed with an unknown key (401 NotAuthenticated), for reads and unsigned-body PUTs", async () => {
      const rogueKey = generateKeyPair();
      const rogue = new common.SimpleAuthenticationDetailsProvider(
        "ocid1.tenancy.oc1..emulatortenancy",
        "ocid1.user.oc1..emulatoruser",
        rogueKey.fingerprint,
        rogueKey.privateKeyPem,
        null,
        common.Region.US_ASHBURN_1,
      );
      const rc = objectStorageClient(rogue, fx.emu.url);
      try {
        expect(await rejection(rc.getNamespace({}))).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
        expect(
          await rejection(rc.putObject({ namespaceName: ns, bucketName, objectName: "rogue", putObjectBody: "x", contentLength: 1 })),
        ).toMatchObject({ statusCode: 401 });
      } finally {
        rc.close();
      }
      expect(os.getObject(bucketName, "rogue")).toBeUndefined();
    });
  });
});
