import { randomUUID } from "node:crypto";
import { ServiceError } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import { parseRange } from "./http-range.js";
import { listPage } from "./list-objects.js";
import type { ObjectMeta } from "./object-meta.js";
import {
  checkContentMd5,
  checkWritePreconditions,
  echoHeaders,
  header,
  md5Base64,
  objectHeaders,
  requireContentLength,
  userMetadata,
} from "./request-helpers.js";
import { type ObjectStorageState, nowIso, objectNotFound, resolveBucket, resolveObject } from "./state.js";

const OBJECT = "/n/:namespaceName/b/:bucketName/o/:objectName";

export function objectRoutes(state: ObjectStorageState): RouteDef[] {
  return [
    {
      method: "GET",
      pattern: "/n",
      name: "os.getNamespace",
      handler: () => ({ status: 200, body: JSON.stringify(state.namespace), headers: { "content-type": "application/json" } }),
    },
    { method: "PUT", pattern: OBJECT, name: "os.putObject", bodySigned: false, handler: (req) => putObject(state, req) },
    { method: "GET", pattern: OBJECT, name: "os.getObject", handler: (req) => getObject(state, req, false) },
    { method: "HEAD", pattern: OBJECT, name: "os.headObject", handler: (req) => getObject(state, req, true) },
    { method: "DELETE", pattern: OBJECT, name: "os.deleteObject", handler: (req) => deleteObject(state, req) },
    { method: "GET", pattern: "/n/:namespaceName/b/:bucketName/o", name: "os.listObjects", handler: (req) => listObjects(state, req) },
  ];
}

async function putObject(state: ObjectStorageState, req: EmuRequest): Promise<EmuResponse> {
  const { bucket, name, key } = resolveObject(state, req);
  requireContentLength(req);
  const md5 = md5Base64([req.body]);
  checkContentMd5(req, md5);
  const ifMatch = header(req, "if-match");
  const ifNoneMatch = header(req, "if-none-match");
  const meta = userMetadata(req);
  return state.locks.run(key, async () => {
    checkWritePreconditions(state.store.head(bucket, name), ifMatch, ifNoneMatch);
    const now = nowIso(state);
    const stored: ObjectMeta = {
      name,
      size: req.body.length,
      etag: randomUUID(),
      md5,
      contentType: header(req, "content-type") ?? "application/octet-stream",
      contentEncoding: header(req, "content-encoding"),
      contentLanguage: header(req, "content-language"),
      contentDisposition: header(req, "content-disposition"),
      cacheControl: header(req, "cache-control"),
      meta,
      storageTier: header(req, "storage-tier") ?? "Standard",
      timeCreated: now,
      timeModified: now,
    };
    await state.store.write(bucket, stored, [req.body]);
    return {
      status: 200,
      headers: { ...echoHeaders(req), etag: stored.etag, "opc-content-md5": md5, "last-modified": new Date(now).toUTCString() },
    };
  });
}

function getObject(state: ObjectStorageState, req: EmuRequest, head: boolean): EmuResponse {
  const { bucket, name } = resolveObject(state, req);
  const obj = head ? undefined : state.store.read(bucket, name);
  const meta = head ? state.store.head(bucket, name) : obj?.meta;
  if (!meta) throw objectNotFound(bucket, name);
  const ifMatch = header(req, "if-match");
  if (ifMatch !== undefined && ifMatch !== meta.etag && ifMatch !== "*") {
    throw new ServiceError(412, "IfMatchFailed", `The if-match ETag ${ifMatch} does not match the object's ETag ${meta.etag}`);
  }
  const ifNoneMatch = header(req, "if-none-match");
  if (ifNoneMatch !== undefined && (ifNoneMatch === "*" || ifNoneMatch === meta.etag)) {
    return { status: 304, headers: { ...echoHeaders(req), etag: meta.etag, "content-length": 0 } };
  }
  const headers = { ...echoHeaders(req), ...objectHeaders(meta) };
  if (head || !obj) return { status: 200, headers: { ...headers, "content-length": meta.size } };
  const range = parseRange(header(req, "range"), meta.size);
  if (range === "unsatisfiable") {
    throw new ServiceError(416, "InvalidRange", `The requested range is not satisfiable for an object of ${meta.size} bytes`, {
      "content-range": `bytes */${meta.size}`,
    });
  }
  if (range) {
    const { "content-md5": _whole, ...partial } = headers;
    const body = obj.body.subarray(range.start, range.end + 1);
    return {
      status: 206,
      headers: { ...partial, "content-range": `bytes ${range.start}-${range.end}/${meta.size}`, "content-length": body.length },
      body,
    };
  }
  return { status: 200, headers: { ...headers, "content-length": obj.body.length }, body: obj.body };
}

async function deleteObject(state: ObjectStorageState, req: EmuRequest): Promise<EmuResponse> {
  const { bucket, name, key } = resolveObject(state, req);
  const ifMatch = header(req, "if-match");
  return state.locks.run(key, async () => {
    const current = state.store.head(bucket, name);
    if (!current) throw objectNotFound(bucket, name);
    checkWritePreconditions(current, ifMatch, undefined);
    await state.store.remove(bucket, name);
    return { status: 204, headers: { ...echoHeaders(req), "last-modified": new Date(state.clock.now()).toUTCString() } };
  });
}

const LIST_FIELDS = new Set(["name", "size", "etag", "md5", "timeCreated", "timeModified", "storageTier", "archivalState"]);

function optionalParam(req: EmuRequest, name: string): string | undefined {
  const v = req.query.get(name);
  return v === null ? undefined : v;
}

function listObjects(state: ObjectStorageState, req: EmuRequest): EmuResponse {
  const bucket = resolveBucket(state, req);
  const limitText = optionalParam(req, "limit");
  const limit = limitText === undefined ? 1000 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new ServiceError(400, "InvalidParameter", "limit must be an integer from 1 to 1000");
  const delimiter = optionalParam(req, "delimiter");
  if (delimiter !== undefined && delimiter !== "/") throw new ServiceError(400, "InvalidParameter", "The only supported delimiter is '/'");
  const fields = (optionalParam(req, "fields") ?? "name")
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
  for (const f of fields) if (!LIST_FIELDS.has(f)) throw new ServiceError(400, "InvalidParameter", `Unknown field '${f}' in fields`);
  const index = state.store.names(bucket)!;
  const page = listPage(index, {
    prefix: optionalParam(req, "prefix"),
    start: optionalParam(req, "start"),
    end: optionalParam(req, "end"),
    startAfter: optionalParam(req, "startAfter"),
    limit,
    delimiter,
  });
  const objects = page.names.map((name) => {
    const meta = state.store.head(bucket, name)!;
    const o: Record<string, string | number> = { name };
    if (fields.includes("size")) o.size = meta.size;
    if (fields.includes("etag")) o.etag = meta.etag;
    if (fields.includes("md5")) o.md5 = meta.md5 ?? meta.multipartMd5 ?? "";
    if (fields.includes("timeCreated")) o.timeCreated = meta.timeCreated;
    if (fields.includes("timeModified")) o.timeModified = meta.timeModified;
    if (fields.includes("storageTier")) o.storageTier = meta.storageTier;
    return o;
  });
  const body: Record<string, unknown> = { objects };
  if (delimiter !== undefined) body.prefixes = page.prefixes;
  if (page.nextStartWith !== undefined) body.nextStartWith = page.nextStartWith;
  return { status: 200, headers: echoHeaders(req), body };
}
