/**
 * Rules for keys that come from outside (an event, a CLI argument, an AIDP
 * response) and become one segment of an object name. A key that breaks a
 * rule is rejected with the rule's name, never rewritten: rewriting `a/b` to
 * `a_b` would make two different task runs share one archive.
 *
 * A segment must be:
 * - 1 to `maxBytes` UTF-8 bytes (the whole name must fit Object Storage's 1024);
 * - free of control characters (C0, DEL, C1: Object Storage refuses NUL/CR/LF,
 *   and the rest make names that can't be typed or logged), of Unicode format
 *   characters (bidi overrides, zero-width, BOM: names that look like other
 *   names), of line/paragraph separators and of lone surrogates;
 * - free of `/` and `\` (a key is one segment; `/` would let it climb out of or
 *   into another run's folder);
 * - not `.` or `..` (path traversal for any tool that maps names to paths);
 * - without leading or trailing whitespace (invisible, so ambiguous).
 */
import * as z from "../schema/zod.js";
import { UnsafeKeyError } from "./export-errors.js";

export type KeyKind = "platformId" | "workspaceKey" | "taskRunKey" | "outputKey" | "jobRunKey" | "prefix";

export interface KeyRule {
  readonly rule: string;
  readonly test: (value: string) => boolean;
}

const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8");

const SEGMENT_RULES: readonly KeyRule[] = [
  { rule: "must not be empty", test: (v) => v.length > 0 },
  { rule: "must not contain control characters", test: (v) => !/\p{Cc}/u.test(v) },
  { rule: "must not contain Unicode format characters (bidi, zero-width, BOM)", test: (v) => !/\p{Cf}/u.test(v) },
  { rule: "must not contain line or paragraph separators", test: (v) => !/[\p{Zl}\p{Zp}]/u.test(v) },
  { rule: "must not contain unpaired surrogates", test: (v) => !/\p{Cs}/u.test(v) },
  { rule: "must not contain '/' or '\\'", test: (v) => !/[/\\]/.test(v) },
  { rule: "must not be '.' or '..'", test: (v) => v !== "." && v !== ".." },
  { rule: "must not start or end with whitespace", test: (v) => v.length === 0 || !/^\s|\s$/u.test(v) },
];

/** Byte limits per key kind. The sum with the longest prefix and file name stays under 1024 (checked again per name). */
export const KEY_MAX_BYTES: Readonly<Record<Exclude<KeyKind, "prefix">, number>> = {
  platformId: 255,
  workspaceKey: 200,
  taskRunKey: 200,
  jobRunKey: 200,
  /** The API allows 1–100 characters; up to 4 bytes each. */
  outputKey: 400,
};
/** The API's own limit on output keys (FetchOutputDetails.outputKey: 1–100). */
export const OUTPUT_KEY_MAX_CHARS = 100;
const OCID = /^ocid1\.[a-z0-9_-]+\.[a-z0-9_-]*\.[a-z0-9_-]*\.[A-Za-z0-9._-]+$/;

/** Every rule `value` breaks, as `must …` phrases (empty when the key is safe). */
export function keyProblems(kind: Exclude<KeyKind, "prefix">, value: string): string[] {
  const problems = SEGMENT_RULES.filter((r) => !r.test(value)).map((r) => r.rule);
  const max = KEY_MAX_BYTES[kind];
  if (utf8Bytes(value) > max) problems.push(`must be at most ${max} UTF-8 bytes`);
  if (kind === "outputKey" && [...value].length > OUTPUT_KEY_MAX_CHARS) problems.push(`must be at most ${OUTPUT_KEY_MAX_CHARS} characters`);
  if (kind === "platformId" && !OCID.test(value)) problems.push("must be an OCID (ocid1.<type>.<realm>.[region].<id>)");
  return problems;
}

/** A short, escaped view of a rejected value for messages: JSON escapes control characters, long values are cut. */
export function previewKey(value: string): string {
  const cut = [...value];
  const shown = cut.length > 60 ? `${cut.slice(0, 60).join("")}…` : value;
  return JSON.stringify(shown).replace(
    /[\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Throws `UnsafeKeyError` naming the key, its (escaped) value and every broken rule. */
export function assertSafeKey(kind: Exclude<KeyKind, "prefix">, value: string): string {
  const problems = keyProblems(kind, value);
  if (problems.length > 0) throw new UnsafeKeyError(`${kind} ${previewKey(value)}`, problems.join(", "), { context: { keyKind: kind } });
  return value;
}

/** A zod schema for one key kind: every broken rule becomes an issue (the handler lists them all). */
export function safeKeySchema(kind: Exclude<KeyKind, "prefix">) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      for (const problem of keyProblems(kind, value)) ctx.addIssue({ code: "custom", message: `${kind} ${problem}` });
    }),
  );
}

/**
 * The configured output prefix, as segments. Leading and trailing `/` are
 * dropped (`outputs/` and `/outputs` both mean `outputs`); each remaining
 * segment must follow the segment rules, so `a//b`, `../x` and control
 * characters are rejected. An empty prefix puts archives at the bucket root.
 */
export function prefixSegments(prefix: string): string[] {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return [];
  const segments = trimmed.split("/");
  for (const segment of segments) {
    const problems = SEGMENT_RULES.filter((r) => !r.test(segment)).map((r) => r.rule);
    if (problems.length > 0) {
      throw new UnsafeKeyError(`prefix ${previewKey(prefix)} segment ${previewKey(segment)}`, problems.join(", "), {
        context: { keyKind: "prefix" },
      });
    }
  }
  if (utf8Bytes(trimmed) > 200)
    throw new UnsafeKeyError(`prefix ${previewKey(prefix)}`, "must be at most 200 UTF-8 bytes", { context: { keyKind: "prefix" } });
  return segments;
}
