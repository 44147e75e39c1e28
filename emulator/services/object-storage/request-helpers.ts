import { createHash } from "node:crypto";
import type { EmuRequest } from "../../http/types.js";
import { ServiceError } from "../../http/service-error.js";
import type { ObjectMeta } from "./object-meta.js";

export function header(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

export function md5Base64(chunks: readonly Buffer[]): string {
  const h = createHash("md5");
  for (const c of chunks) h.update(c);
  return h.digest("base64");
}

/** `opc-client-request-id` is echoed on every answer, as OCI does. */
export function echoHeaders(req: EmuRequest): Record<string, string> {
  const id = header(req, "opc-client-request-id");
  return id === undefined ? {} : { "opc-client-request-id": id };
}

/** `opc-meta-*` request headers → user metadata (keys without the prefix). */
export function userMetadata(req: EmuRequest): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith("opc-meta-") && v !== undefined) meta[k.slice("opc-meta-".length)] = Array.isArray(v) ? v.join(", ") : v;
  }
  return meta;
}

/** Checks a `Content-MD5` header when the client sent one (400 `UnmatchedContentMD5`, as OCI answers). */
export function checkContentMd5(req: EmuRequest, computed: string): void {
  const sent = header(req, "content-md5");
  if (sent !== undefined && sent !== computed) {
    throw new ServiceError(
      400,
      "UnmatchedContentMD5",
      `The computed MD5 of the request body (${computed}) does not match the Content-MD5 header (${sent})`,
    );
  }
}

export function requireContentLength(req: EmuRequest): void {
  if (header(req, "content-length") === undefined)
    throw new ServiceError(411, "MissingContentLength", "The Content-Length header is required");
}

/**
 * Conditional writes: `if-none-match` only accepts `*` (create-only);
 * `if-match` must equal the current ETag. Failures are 412 and leave the
 * object untouched (codes as the live service answers: `IfNoneMatchFailed`,
 * `IfMatchFailed`).
 */
export function checkWritePreconditions(
  current: ObjectMeta | undefined,
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
): void {
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== "*") throw new ServiceError(400, "InvalidParameter", "The only supported value of if-none-match is '*'");
    if (current)
      throw new ServiceError(412, "IfNoneMatchFailed", `The object already exists (ETag ${current.etag}) and if-none-match is '*'`);
  }
  if (ifMatch !== undefined && current?.etag !== ifMatch) {
    throw new ServiceError(
      412,
      "IfMatchFailed",
      `The if-match ETag ${ifMatch} does not match the object's ETag ${current?.etag ?? "(no object)"}`,
    );
  }
}

const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function checkHeaderValue(what: string, value: string): void {
  if (!HEADER_VALUE.test(value))
    throw new ServiceError(400, "InvalidParameter", `${what} contains characters that cannot be sent in an HTTP header`);
}

/** Response headers describing an object (GET/HEAD). */
export function objectHeaders(meta: ObjectMeta): Record<string, string | number> {
  const h: Record<string, string | number> = {
    etag: meta.etag,
    "last-modified": new Date(meta.timeModified).toUTCString(),
    "content-type": meta.contentType,
    "accept-ranges": "bytes",
    "storage-tier": meta.storageTier,
  };
  if (meta.md5 !== undefined) h["content-md5"] = meta.md5;
  if (meta.multipartMd5 !== undefined) h["opc-multipart-md5"] = meta.multipartMd5;
  if (meta.contentEncoding !== undefined) h["content-encoding"] = meta.contentEncoding;
  if (meta.contentLanguage !== undefined) h["content-language"] = meta.contentLanguage;
  if (meta.contentDisposition !== undefined) h["content-disposition"] = meta.contentDisposition;
  if (meta.cacheControl !== undefined) h["cache-control"] = meta.cacheControl;
  for (const [k, v] of Object.entries(meta.meta)) h[`opc-meta-${k}`] = v;
  return h;
}
