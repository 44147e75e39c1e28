/**
 * A single-range `Range: bytes=…` header (RFC 9110 §14.1.2): `a-b`, `a-` or
 * `-n` (suffix). `undefined` means "no usable range, send everything" (absent
 * or not a bytes range); `"unsatisfiable"` means 416.
 */
export type ByteRange = { readonly start: number; readonly end: number } | "unsatisfiable" | undefined;

export function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === "" && b === "") return undefined;
  if (a === "") {
    const n = Number(b);
    if (n === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return "unsatisfiable";
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return undefined;
  return { start, end };
}
