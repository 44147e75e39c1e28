/**
 * Redaction for log records. Defence in depth: callers should never pass
 * secrets to the logger, but a stray `ctx.config`, an error that quotes a PEM,
 * or a header map with an RPST must still never reach a log sink.
 */

const SECRET_KEY = /(private[_-]?key|passphrase|password|secret|token|rpst|authorization|signature|pem|credential|webhook|opc-obo)/i;
/** Keys whose presence means "this object is an environment or Fn config dump". */
const ENV_DUMP_MARKERS = ["PATH", "HOME", "OCI_RESOURCE_PRINCIPAL_VERSION", "FN_LISTENER", "FN_FORMAT", "HOSTNAME"];

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;
/** JWTs (RPSTs, session tokens): three base64url segments, the first starting with `eyJ`. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
/** OCI keyId for token-based auth: `ST$<token>`. */
const ST_KEY = /ST\$[A-Za-z0-9._-]+/g;
/** `Signature version="1",keyId=...,signature="..."` authorization values. */
const SIGNATURE_HEADER = /Signature\s+[^\n]*signature="[^"]*"/g;

export const REDACTED = "[REDACTED]";

export function redactString(value: string): string {
  return value
    .replace(PEM_BLOCK, REDACTED)
    .replace(JWT, REDACTED)
    .replace(ST_KEY, `ST$${REDACTED}`)
    .replace(SIGNATURE_HEADER, `Signature ${REDACTED}`);
}

function looksLikeEnvDump(obj: Record<string, unknown>): boolean {
  let hits = 0;
  for (const marker of ENV_DUMP_MARKERS) if (marker in obj) hits++;
  return hits >= 2;
}

/** Deep-copies `value` with secrets replaced. Cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 8) return "[Truncated]";
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message) };
  }
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1, seen));
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  const obj = value as Record<string, unknown>;
  if (looksLikeEnvDump(obj)) return "[REDACTED environment/config dump]";
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}
