/**
 * `{"doctor": true}` (optionally `"publishTest": true`) asks poll for the
 * `aidp-watch doctor` report instead of a sweep (functions/doctor/). Any other
 * body is left to parsePollRequest; a body that names `doctor` must be exactly
 * this request, so a typo never turns into a sweep.
 */
import { AidpWatchError } from "../../shared/errors/aidp-watch-error.js";
import * as z from "../../shared/schema/zod.js";

export interface DoctorRequest {
  readonly publishTest: boolean;
}

export class DoctorRequestError extends AidpWatchError {}

const DoctorRequestSchema = z.strictObject({ doctor: z.literal(true), publishTest: z.optional(z.boolean()) });

export function parseDoctorRequest(input: unknown): DoctorRequest | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !("doctor" in input)) return undefined;
  const r = DoctorRequestSchema.safeParse(input);
  if (!r.success)
    throw new DoctorRequestError(`invalid doctor request: expected {"doctor": true} or {"doctor": true, "publishTest": true}`);
  return { publishTest: r.data.publishTest ?? false };
}
