import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { ServiceError } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import { MAX_PART_NUMBER } from "./multipart-uploads.js";
import type { ObjectMeta } from "./object-meta.js";
import { validateObjectName } from "./object-name.js";
import {
  checkContentMd5,
  checkHeaderValue,
  checkWritePreconditions,
  echoHeaders,
  header,
  md5Base64,
  requireContentLength,
} from "./request-helpers.js";
import { type ObjectStorageState, nowIso, resolveBucket, resolveObject } from "./state.js";

const UPLOAD = "/n/:namespaceName/b/:bucketName/u/:objectName";

const CreateSchema = z.object({
  object: z.string(),
  contentType: z.string().optional(),
  contentLanguage: z.string().optional(),
  contentEncoding: z.string().optional(),
  contentDisposition: z.string().optional(),
  cacheControl: z.string().optional(),
  storageTier: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

const CommitSchema = z.object({
  partsToCommit: z.array(z.object({ partNum: z.number().int(), etag: z.string() })).min(1),
  partsToExclude: z.array(z.number().int()).optional(),
});

function parseJson<T>(schema: z.ZodType<T>, req: EmuRequest): T {
  let raw: unknown;
  try {
    raw = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new ServiceError(400, "InvalidParameter", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ServiceError(400, "InvalidParameter", `Invalid request body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function multipartRoutes(state: ObjectStorageState): RouteDef[] {
  return [
    {
      method: "POST",
      pattern: "/n/:namespaceName/b/:bucketName/u",
      name: "os.createMultipartUpload",
      handler: (req) => create(state, req),
    },
    { method: "PUT", pattern: UPLOAD, name: "os.uploadPart", bodySigned: false, handler: (req) => uploadPart(state, req) },
    { method: "GET", pattern: UPLOAD, name: "os.listMultipartUploadParts", handler: (req) => listParts(state, req) },
    { method: "POST", pattern: UPLOAD, name: "os.commitMultipartUpload", handler: (req) => commit(state, req) },
    { method: "DELETE", pattern: UPLOAD, name: "os.abortMultipartUpload", handler: (req) => abort(state, req) },
  ];
}

function create(state: ObjectStorageState, req: EmuRequest): EmuResponse {
  const bucket = resolveBucket(state, req);
  const d = parseJson(CreateSchema, req);
  validateObjectName(d.object);
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata ?? {})) {
    const key = k.toLowerCase().replace(/^opc-meta-/, "");
    checkHeaderValue(`metadata ${key}`, v);
    meta[key] = v;
  }
  for (const v of [d.contentType, d.contentLanguage, d.contentEncoding, d.contentDisposition, d.cacheControl])
    if (v !== undefined) checkHeaderValue("content header", v);
  const ifMatch = header(req, "if-match");
  const ifNoneMatch = header(req, "if-none-match");
  checkWritePreconditions(state.store.head(bucket, d.object), ifMatch, ifNoneMatch);
  const upload = state.uploads.create({
    bucket,
    object: d.object,
    timeCreated: nowIso(state),
    ifMatch,
    ifNoneMatch,
    details: {
      contentType: d.contentType,
      contentLanguage: d.contentLanguage,
      contentEncoding: d.contentEncoding,
      contentDisposition: d.contentDisposition,
      cacheControl: d.cacheControl,
      storageTier: d.storageTier ?? "Standard",
      meta,
    },
  });
  return {
    status: 200,
    headers: {
      ...echoHeaders(req),
      location: `/n/${state.namespace}/b/${bucket}/u/${encodeURIComponent(d.object)}?uploadId=${upload.uploadId}`,
    },
    body: {
      namespace: state.namespace,
      bucket,
      object: upload.object,
      uploadId: upload.uploadId,
      timeCreated: upload.timeCreated,
      storageTier: upload.details.storageTier,
    },
  };
}

function uploadPart(state: ObjectStorageState, req: EmuRequest): EmuResponse {
  const { bucket, name } = resolveObject(state, req);
  const upload = state.uploads.get(req.query.get("uploadId"), bucket, name);
  const partNum = Number(req.query.get("uploadPartNum"));
  if (!Number.isInteger(partNum) || partNum < 1 || partNum > MAX_PART_NUMBER) {
    throw new ServiceError(400, "InvalidParameter", `uploadPartNum must be an integer from 1 to ${MAX_PART_NUMBER}`);
  }
  requireContentLength(req);
  const md5 = md5Base64([req.body]);
  checkContentMd5(req, md5);
  const part = { etag: randomUUID(), md5, size: req.body.length, body: req.body };
  upload.parts.set(partNum, part);
  return { status: 200, headers: { ...echoHeaders(req), etag: part.etag, "opc-content-md5": md5 } };
}

function listParts(state: ObjectStorageState, req: EmuRequest): EmuResponse {
  const { bucket, name } = resolveObject(state, req);
  const upload = state.uploads.get(req.query.get("uploadId"), bucket, name);
  const limit = Number(req.query.get("limit") ?? 1000);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new ServiceError(400, "InvalidParameter", "limit must be an integer from 1 to 1000");
  const from = Number(req.query.get("page") ?? 1);
  const numbers = [...upload.parts.keys()].filter((n) => n >= from).sort((a, b) => a - b);
  const items = numbers.slice(0, limit).map((n) => {
    const p = upload.parts.get(n)!;
    return { partNumber: n, etag: p.etag, md5: p.md5, size: p.size };
  });
  const headers: Record<string, string> = echoHeaders(req);
  const next = numbers[limit];
  if (next !== undefined) headers["opc-next-page"] = String(next);
  return { status: 200, headers, body: items };
}

async function commit(state: ObjectStorageState, req: EmuRequest): Promise<EmuResponse> {
  const { bucket, name, key } = resolveObject(state, req);
  const upload = state.uploads.get(req.query.get("uploadId"), bucket, name);
  const d = parseJson(CommitSchema, req);
  const wanted = [...d.partsToCommit].sort((a, b) => a.partNum - b.partNum);
  const parts = wanted.map((w, i) => {
    if (i > 0 && wanted[i - 1]!.partNum === w.partNum) throw new ServiceError(400, "InvalidParameter", `Part ${w.partNum} is listed twice`);
    const p = upload.parts.get(w.partNum);
    if (!p || p.etag !== w.etag)
      throw new ServiceError(
        400,
        "InvalidUploadPart",
        `Part ${w.partNum} with ETag ${w.etag} was not uploaded for upload ${upload.uploadId}`,
      );
    return p;
  });
  const ifMatch = header(req, "if-match");
  const ifNoneMatch = header(req, "if-none-match");
  return state.locks.run(key, async () => {
    const current = state.store.head(bucket, name);
    checkWritePreconditions(current, upload.ifMatch, upload.ifNoneMatch);
    checkWritePreconditions(current, ifMatch, ifNoneMatch);
    const md5s = createHash("md5");
    for (const p of parts) md5s.update(Buffer.from(p.md5, "base64"));
    const multipartMd5 = `${md5s.digest("base64")}-${parts.length}`;
    const now = nowIso(state);
    const t = upload.details;
    const stored: ObjectMeta = {
      name,
      size: parts.reduce((n, p) => n + p.size, 0),
      etag: randomUUID(),
      multipartMd5,
      contentType: t.contentType ?? "application/octet-stream",
      contentEncoding: t.contentEncoding,
      contentLanguage: t.contentLanguage,
      contentDisposition: t.contentDisposition,
      cacheControl: t.cacheControl,
      meta: t.meta,
      storageTier: t.storageTier,
      timeCreated: now,
      timeModified: now,
    };
    await state.store.write(
      bucket,
      stored,
      parts.map((p) => p.body),
    );
    state.uploads.delete(upload.uploadId);
    return {
      status: 200,
      headers: { ...echoHeaders(req), etag: stored.etag, "opc-multipart-md5": multipartMd5, "last-modified": new Date(now).toUTCString() },
    };
  });
}

function abort(state: ObjectStorageState, req: EmuRequest): EmuResponse {
  const { bucket, name } = resolveObject(state, req);
  const upload = state.uploads.get(req.query.get("uploadId"), bucket, name);
  state.uploads.delete(upload.uploadId);
  return { status: 204, headers: echoHeaders(req) };
}
