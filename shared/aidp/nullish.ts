import type { z } from "zod";

/** `null` and absent mean the same in OCI responses; both parse to `undefined`. */
export function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => v ?? undefined);
}
