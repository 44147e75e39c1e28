import * as z from "./zod.js";

/** `null` and absent mean the same in OCI responses; both parse to `undefined`. */
export function opt<T extends z.core.$ZodType>(schema: T) {
  return z.pipe(
    z.nullish(schema),
    z.transform((v: z.output<T> | null | undefined) => v ?? undefined),
  );
}

// The common optional primitives, built once: a zod schema is immutable, so
// fields can share one instance instead of each building its own when the
// handler's chunk loads.
export const optString = opt(z.string());
export const optNumber = opt(z.number());
export const optInt = opt(z.number().check(z.int()));
export const optBoolean = opt(z.boolean());
