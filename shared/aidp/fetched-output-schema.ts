/**
 * `fetchOutput`'s response as the AIDP client returns it: shared/decode's
 * `TaskRunOutputSchema`, except that a part's `value` may be an `AsciiText`.
 * The client reads that response with `largeStrings` (signed-http-client.ts):
 * a long base64 value stays the bytes it arrived as (large-string-json.ts),
 * so a 200 MB output's ~70 MB of base64 is held once, not as the response
 * text, again as a JS string and again as bytes. The decoders take it as is
 * (`Base64Text`).
 *
 * Validation is unchanged in substance: an `AsciiText` is only ever made from
 * a JSON string token of printable ASCII without escapes, so it IS a string
 * value (what `optString` checks); every other field is checked as in
 * `RunOutputDataSchema`. `toJSON` gives it back as the string it stands for
 * (the CLI prints the output as JSON).
 */
import { AsciiText } from "../decode/ascii-text.js";
import { RunOutputDataSchema, TaskRunOutputSchema } from "../decode/run-output-schema.js";
import { optString } from "../schema/nullish.js";
import * as z from "../schema/zod.js";

/** A `value` string kept as its ASCII bytes; only large-string-json.ts makes one. */
const AsciiTextValueSchema = z.instanceof(AsciiText);

export const FetchedRunOutputDataSchema = z.extend(RunOutputDataSchema, {
  value: z.union([AsciiTextValueSchema, optString]),
});
export type FetchedRunOutputData = z.infer<typeof FetchedRunOutputDataSchema>;

export const FetchedTaskRunOutputSchema = z.extend(TaskRunOutputSchema, {
  data: z.array(FetchedRunOutputDataSchema),
});
export type FetchedTaskRunOutput = z.infer<typeof FetchedTaskRunOutputSchema>;
