/**
 * Verifies OCI request signatures (Signature version 1, draft-cavage-http-signatures-08,
 * rsa-sha256) independently of oci-common: this is our own reading of the spec, so a
 * signer bug can't be hidden by sharing code with it.
 *
 * Rules enforced, as OCI documents them:
 * - `(request-target)`, `host` and `date` or `x-date` are always signed;
 * - for requests with a signed body (JSON POST/PUT/PATCH), `content-length`,
 *   `content-type` and `x-content-sha256` are signed and the hash matches the body
 *   (Object Storage PutObject/UploadPart are exempt);
 * - the signed date is within 5 minutes of the emulator's wall clock.
 */
import { createHash, verify } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ServiceError } from "../http/service-error.js";
import type { KeyRegistry } from "./key-registry.js";

export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface VerifyInput {
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly bodySigned: boolean;
  readonly nowMs: number;
}

export function parseAuthorization(value: string): Record<string, string> {
  if (!value.startsWith("Signature ")) throw unauthenticated("Authorization header is not an OCI Signature");
  const params: Record<string, string> = {};
  for (const m of value.slice("Signature ".length).matchAll(/([A-Za-z]+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

export function verifySignature(input: VerifyInput, registry: KeyRegistry): { principal: string } {
  const auth = headerValue(input.headers, "authorization");
  if (!auth) throw unauthenticated("The required information to complete authentication was not provided");
  const p = parseAuthorization(auth);
  const { keyId, signature, headers: signedList, algorithm, version } = p;
  if (!keyId || !signature || !signedList) throw unauthenticated("Signature is missing keyId, headers or signature");
  if (version !== undefined && version !== "1") throw unauthenticated(`Unsupported signature version ${version}`);
  if (algorithm !== undefined && algorithm !== "rsa-sha256") throw unauthenticated(`Unsupported algorithm ${algorithm}`);

  const names = signedList.split(" ").map((n) => n.toLowerCase());
  const required = ["(request-target)", "host"];
  const method = input.method.toUpperCase();
  const withBody = input.bodySigned && (method === "POST" || method === "PUT" || method === "PATCH");
  if (withBody) required.push("content-length", "content-type", "x-content-sha256");
  for (const r of required) if (!names.includes(r)) throw unauthenticated(`Header ${r} must be signed`);
  const dateHeader = names.includes("x-date") ? "x-date" : names.includes("date") ? "date" : undefined;
  if (!dateHeader) throw unauthenticated("Either date or x-date must be signed");

  const lines: string[] = [];
  for (const name of names) {
    if (name === "(request-target)") {
      lines.push(`(request-target): ${input.method.toLowerCase()} ${input.url}`);
      continue;
    }
    const v = headerValue(input.headers, name);
    if (v === undefined) throw unauthenticated(`Signed header ${name} is missing from the request`);
    lines.push(`${name}: ${v}`);
  }

  const found = registry.lookup(keyId);
  if (!found) throw unauthenticated("The key is not known to this tenancy");
  const ok = verify("sha256", Buffer.from(lines.join("\n")), found.key, Buffer.from(signature, "base64"));
  if (!ok) throw unauthenticated("The request signature does not verify");

  const dateMs = Date.parse(headerValue(input.headers, dateHeader) ?? "");
  if (!Number.isFinite(dateMs) || Math.abs(input.nowMs - dateMs) > MAX_CLOCK_SKEW_MS) {
    throw unauthenticated("The request date is more than 5 minutes from the service's clock");
  }
  if (withBody) {
    const expected = createHash("sha256").update(input.body).digest("base64");
    if (headerValue(input.headers, "x-content-sha256") !== expected) throw unauthenticated("x-content-sha256 does not match the body");
    if (Number(headerValue(input.headers, "content-length")) !== input.body.length) {
      throw unauthenticated("content-length does not match the body");
    }
  }
  return { principal: found.principal };
}

function unauthenticated(message: string): ServiceError {
  return new ServiceError(401, "NotAuthenticated", message);
}
