/**
 * Reading back the JSON objects aidp-watch stores (current pointer, manifest,
 * discovery state, claims, publish budget, tracking index): parse the bytes as
 * JSON, then validate them with the object's schema. Both steps fail the same
 * way, as a result rather than an exception, so each store decides what an
 * unreadable object means (start afresh, treat as absent, or a typed error).
 */
import * as z from "./zod.js";

export type StoredJsonResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** Completes "the <object> …": `is not valid JSON` or `does not match its schema: <first problems>`. */
      readonly problem: string;
      readonly cause?: unknown;
    };

export function parseStoredJson<T>(schema: z.core.$ZodType<T>, body: Buffer | string): StoredJsonResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch (err) {
    return { ok: false, problem: "is not valid JSON", cause: err };
  }
  const parsed = z.safeParse(schema, json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  return { ok: false, problem: `does not match its schema: ${problems}` };
}

/** The value, or `undefined` when the bytes are not JSON or do not match the schema. */
export function storedJsonOrUndefined<T>(schema: z.core.$ZodType<T>, body: Buffer | string): T | undefined {
  const result = parseStoredJson(schema, body);
  return result.ok ? result.value : undefined;
}
