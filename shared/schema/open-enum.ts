/**
 * OCI enums are open: the service may add values at any time, and a response
 * carrying one must still parse. The schema accepts any string and keeps it;
 * the type keeps the known literals for autocompletion (`string & {}` stops
 * TypeScript from collapsing the union into plain `string`). Callers decide what
 * an unknown value means (warning, typed error) with `isKnown`.
 */
import * as z from "./zod.js";

export type OpenEnum<T extends string> = T | (string & {});

export function openEnum<const T extends readonly [string, ...string[]]>(_values: T) {
  // The values only shape the type; at runtime any string is accepted.
  return z.string() as unknown as z.ZodMiniType<OpenEnum<T[number]>, string>;
}

export function isKnown<const T extends readonly string[]>(values: T, value: string): value is T[number] {
  return (values as readonly string[]).includes(value);
}
