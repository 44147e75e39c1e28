/**
 * Points `current.json` at `manifest` unless it already names this version or
 * a newer one. Called only after that manifest exists.
 *
 * Race (A exports v1, B exports v2 of the same output, both read "absent"):
 *   A: put if-none-match:* → 200 (v1)
 *   B: put if-none-match:* → 412 → re-read: v1 < v2 → put if-match:<A's etag> → 200 (v2)
 * And if B had written first, A's retry re-reads v2 ≥ v1 and keeps it. Every
 * write is conditional on what was read, so the pointer only ever moves to a
 * newer version, whatever the interleaving.
 */
import type { Logger } from "../log/logger.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import type { Clock } from "../time/clock.js";
import type { Deadline } from "../time/deadline.js";
import { buildPointer, parsePointer, pointerAction, serializePointer } from "./current-pointer.js";
import { ExportConflictError } from "./export-errors.js";

export type PointerResult = "created" | "replaced" | "kept";
const MAX_ROUNDS = 5;

export async function updatePointer(input: {
  readonly store: ObjectStore;
  readonly name: string;
  readonly manifest: string;
  readonly version: number | undefined;
  readonly deadline: Deadline;
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<PointerResult> {
  const { store, name, deadline } = input;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const existing = await store.get(name, { deadline });
    const action = pointerAction(existing ? { pointer: parsePointer(existing.body) } : undefined, input.version);
    if (action === "keep") return "kept";
    const body = serializePointer(buildPointer(input.version, input.manifest, input.clock.now()));
    const condition = existing ? { ifMatch: existing.etag } : { ifNoneMatch: "*" as const };
    try {
      await store.put(name, body, { contentType: "application/json", deadline, ...condition });
      return action === "create" ? "created" : "replaced";
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      input.logger.debug("current.json changed under us; re-reading", { object: name, round });
    }
  }
  throw new ExportConflictError(`${name} kept changing; gave up after ${MAX_ROUNDS} rounds`, { context: { object: name } });
}
