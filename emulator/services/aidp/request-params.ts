/**
 * Parsing of path, query and body parameters with zod, answering like the
 * API does: 400 InvalidParameter with a message naming the parameter.
 */
import { z } from "zod";
import { badRequest } from "../../http/service-error.js";

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const message = result.error.issues
    .map((i) => {
      const name = i.path.length > 0 ? i.path.join(".") : what;
      return `Invalid ${what === "body" ? "request body field" : "parameter"} '${name}': ${i.message}`;
    })
    .join("; ");
  throw badRequest("InvalidParameter", message);
}

/**
 * URLSearchParams as a plain object: `multi` keys become arrays (repeated
 * `k=a&k=b`, also accepting `k=a,b`), other keys keep their first value.
 */
export function queryObject(query: URLSearchParams, multi: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    if (multi.includes(key)) {
      out[key] = query
        .getAll(key)
        .flatMap((v) => v.split(","))
        .filter((v) => v !== "");
    } else {
      out[key] = query.get(key) ?? "";
    }
  }
  return out;
}

/** Parses a JSON request body (empty = `{}`); invalid JSON → 400 InvalidParameter. */
export function jsonBody(body: Buffer): unknown {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("InvalidParameter", "Request body is not valid JSON");
  }
}

export const platformIdParam = z.string().min(1).max(500);
export const asyncOperationKeyParam = z.string().min(1).max(200);
export const workspaceKeyParam = z.string().min(1).max(255);
export const runKeyParam = z.string().min(1).max(255);
export const outputKeyParam = z.string().min(1).max(100);

export const limitParam = z
  .string()
  .regex(/^[0-9]{1,7}$/, "must be an integer between 1 and 1000")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be an integer between 1 and 1000").max(1000, "must be an integer between 1 and 1000"))
  .default(100);

export const pageParam = z.string().min(1).max(1024).optional();

export const booleanParam = z
  .enum(["true", "false"], { message: "must be true or false" })
  .transform((v) => v === "true")
  .default(false);

export const sortOrderParam = z.enum(["ASC", "DESC"], { message: "must be ASC or DESC" }).default("DESC");

export const rfc3339Param = z.iso
  .datetime({ offset: true, message: "must be an RFC 3339 date-time, e.g. 2026-11-23T12:00:00Z" })
  .transform((v) => Date.parse(v));

/** A multi-valued enum-like filter (values are open strings). */
export const multiParam = z.array(z.string().min(1).max(255)).optional();
