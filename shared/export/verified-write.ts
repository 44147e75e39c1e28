/**
 * Writes an archived object unless an identical one is already there, and
 * never replaces an object someone else wrote meanwhile.
 *
 * "Identical" = same size and same `opc-meta-sha256` (set by us on every
 * archived object). That is what makes a rerun after a failure cheap: parts
 * written by the failed attempt are kept, only the missing ones are written.
 *
 * Race (two exports of the same version, A and B):
 *   A: head → absent              B: head → absent
 *   A: put if-none-match:* → 200  B: put if-none-match:* → 412
 *                                 B: head → A's object, same sha256 → "already written"
 * An object left by an earlier attempt with other content is replaced with
 * `if-match: <its etag>`, so a concurrent replacement makes one of the two
 * fail instead of both "winning". If the object that won has another hash
 * (AIDP returned different bytes for the same version), this export fails
 * with `ExportConflictError` and writes no manifest.
 */
import type { Deadline } from "../time/deadline.js";
import { type ObjectStore, PreconditionFailedError } from "../storage/object-store.js";
import { ExportConflictError } from "./export-errors.js";

export const SHA256_META = "sha256";

export type WriteCondition = { readonly ifNoneMatch: "*" } | { readonly ifMatch: string };

export interface VerifiedWrite {
  readonly store: ObjectStore;
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly deadline: Deadline;
  readonly write: (condition: WriteCondition) => Promise<unknown>;
}

/** Returns true when this call wrote the object, false when an identical one was already there. */
export async function writeUnlessIdentical(w: VerifiedWrite): Promise<boolean> {
  const head = await w.store.head(w.name, { deadline: w.deadline });
  if (head && head.size === w.bytes && head.metadata[SHA256_META] === w.sha256) return false;
  const condition: WriteCondition = head ? { ifMatch: head.etag } : { ifNoneMatch: "*" };
  try {
    await w.write(condition);
    return true;
  } catch (err) {
    if (!(err instanceof PreconditionFailedError)) throw err;
    const winner = await w.store.head(w.name, { deadline: w.deadline });
    if (winner && winner.size === w.bytes && winner.metadata[SHA256_META] === w.sha256) return false;
    throw new ExportConflictError(`${w.name} was written concurrently with different content`, {
      cause: err,
      context: { object: w.name, expectedSha256: w.sha256, foundSha256: winner?.metadata[SHA256_META] ?? "absent" },
    });
  }
}
