import * as z from "../schema/zod.js";

/** `null` and absent mean the same in OCI responses; both parse to `undefined`. */
export function opt<T extends z.core.$ZodType>(schema: T) {
  return z.pipe(z.nullish(schema), z.transform((v: z.output<T> | null | undefined) => v ?? undefined));
}
