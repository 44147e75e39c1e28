import { randomUUID } from "node:crypto";
import * as z from "../schema/zod.js";

/**
 * `opc-request-id`: letters, digits, `_` and `-`, at most 255 characters (OCI
 * API reference, common headers). We send one on every request so a failure
 * can be matched to the service's logs.
 */
export const RequestIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,255}$/, "opc-request-id: 1–255 letters, digits, _ or -"));

/** `opc-retry-token`: 1–64 characters (OCI API reference). */
export const RetryTokenSchema = z.string().check(z.minLength(1), z.maxLength(64));

/** 32 upper-case hex characters, the shape OCI's own ids have. */
export function newRequestId(): string {
  return randomUUID().replaceAll("-", "").toUpperCase();
}

/** One token per logical POST call, reused by every retry of it. */
export function newRetryToken(): string {
  return `aidpw-${randomUUID().replaceAll("-", "")}`;
}
