import { createHash } from "node:crypto";

/** An ETag that changes whenever the representation changes (the body's hash). */
export function etagOf(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 32);
}
