/**
 * Object Storage name rules (OCI "Object Naming"): 1–1024 characters, any
 * character except NUL, CR and LF; names are case-sensitive and `/` is an
 * ordinary character. "Characters" are counted as Unicode code points.
 */
import { ServiceError } from "../../http/service-error.js";

export const MAX_OBJECT_NAME_CHARS = 1024;

export function validateObjectName(name: string): void {
  const length = [...name].length;
  if (length < 1 || length > MAX_OBJECT_NAME_CHARS) {
    throw new ServiceError(400, "InvalidParameter", `Object names must be 1 to ${MAX_OBJECT_NAME_CHARS} characters long (got ${length})`);
  }
  if (/[\0\r\n]/.test(name)) throw new ServiceError(400, "InvalidParameter", "Object names must not contain NUL, CR or LF");
}

/** Bucket names: letters, digits, dashes, underscores and periods, 1–256 characters. */
export function isValidBucketName(name: string): boolean {
  return /^[A-Za-z0-9._-]{1,256}$/.test(name);
}

/**
 * Orders names by Unicode code point, which is also UTF-8 byte order (the
 * order Object Storage lists in). Plain `<` on JS strings compares UTF-16 code
 * units and misplaces U+E000–U+FFFF against astral characters.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    x = fixup(x);
    y = fixup(y);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function fixup(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}
