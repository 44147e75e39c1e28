/**
 * What `track` accepts, validated with zod:
 * - an OCI Events CloudEvents 0.1 envelope: the platform comes from
 *   `data.additionalDetails.aiDataPlatformId` or `data.resourceId` (an OCID, or
 *   `<platform OCID>/asyncOperations/<key>`), the key from
 *   `data.additionalDetails.asyncOperationKey` / `aidp-async-operation-key` /
 *   `aidpAsyncOperationKey`, or the end of `data.resourceId`;
 * - a plain `{ aiDataPlatformId, asyncOperationKey }` (a CI job may also pass
 *   the response header as is: `"aidp-async-operation-key": "…"`);
 * - an array of either (at most 100).
 * Every problem of every item is reported, with its path, in one error.
 */
import * as z from "../schema/zod.js";
import { WatchError } from "./watch-errors.js";

export interface TrackTarget {
  readonly platformId: string;
  readonly asyncOperationKey: string;
  /** `event` (CloudEvents) or `direct`. */
  readonly via: "event" | "direct";
  /** CloudEvents `eventID`, when the target came from an event. */
  readonly eventId?: string | undefined;
}

export const MAX_TRACK_ITEMS = 100;
const OCID = /^ocid1\.[a-z0-9_-]+\.[a-z0-9_-]*\.[a-z0-9_-]*\.[A-Za-z0-9._-]+$/;

const platformIdSchema = z
  .string()
  .check(z.maxLength(500), z.regex(OCID, "must be an AI Data Platform OCID (ocid1.<type>.<realm>.[region].<id>)"));
const keySchema = z
  .string()
  .check(z.minLength(1), z.maxLength(200), z.regex(/^[^\s/?#]+$/, "must be an async operation key: no spaces, '/', '?' or '#'"));

export class TrackInputError extends WatchError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid track request: ${problems.join("; ")}`, { context: { problems: problems.length } });
  }
}

const KEY_FIELDS = ["asyncOperationKey", "aidp-async-operation-key", "aidpAsyncOperationKey"] as const;

const CloudEventSchema = z.looseObject({
  eventType: z.string().check(z.minLength(1)),
  cloudEventsVersion: z.optional(z.string()),
  eventID: z.optional(z.string()),
  data: z.looseObject({
    resourceId: z.optional(z.string()),
    additionalDetails: z.optional(z.record(z.string(), z.unknown())),
  }),
});

const PlainSchema = z.strictObject({
  aiDataPlatformId: z.optional(z.unknown()),
  asyncOperationKey: z.optional(z.unknown()),
  "aidp-async-operation-key": z.optional(z.unknown()),
});

function issuesOf(error: z.core.$ZodError, path: string): string[] {
  return error.issues.map((i) => `${[path, ...i.path.map(String)].filter(Boolean).join(".") || "(input)"}: ${i.message}`);
}

function checkField(schema: z.ZodMiniType<string>, value: unknown, path: string, problems: string[]): string | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  problems.push(...issuesOf(r.error, path));
  return undefined;
}

function parseEvent(value: unknown, path: string, problems: string[]): TrackTarget | undefined {
  const parsed = CloudEventSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(...issuesOf(parsed.error, path));
    return undefined;
  }
  const { data } = parsed.data;
  const details = data.additionalDetails ?? {};
  const at = (p: string) => (path ? `${path}.${p}` : p);
  let platformRaw: unknown = details.aiDataPlatformId;
  let platformPath = at("data.additionalDetails.aiDataPlatformId");
  let keyRaw: unknown;
  let keyPath = at("data.additionalDetails.asyncOperationKey");
  for (const f of KEY_FIELDS) {
    if (details[f] !== undefined) {
      keyRaw = details[f];
      keyPath = at(`data.additionalDetails.${f}`);
      break;
    }
  }
  const resourceId = data.resourceId;
  if (resourceId !== undefined) {
    const m = /^([^/]+)\/asyncOperations\/(.+)$/.exec(resourceId);
    if (platformRaw === undefined) {
      platformRaw = m ? m[1] : resourceId;
      platformPath = at("data.resourceId");
    }
    if (keyRaw === undefined && m) {
      keyRaw = m[2];
      keyPath = at("data.resourceId");
    }
  }
  if (platformRaw === undefined)
    problems.push(`${at("data")}: no platform: set data.resourceId or data.additionalDetails.aiDataPlatformId`);
  if (keyRaw === undefined)
    problems.push(`${at("data.additionalDetails")}: no async operation key: set asyncOperationKey or aidp-async-operation-key`);
  if (platformRaw === undefined || keyRaw === undefined) return undefined;
  const platformId = checkField(platformIdSchema, platformRaw, platformPath, problems);
  const asyncOperationKey = checkField(keySchema, keyRaw, keyPath, problems);
  if (platformId === undefined || asyncOperationKey === undefined) return undefined;
  return { platformId, asyncOperationKey, via: "event", eventId: parsed.data.eventID };
}

function parsePlain(value: unknown, path: string, problems: string[]): TrackTarget | undefined {
  const parsed = PlainSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(...issuesOf(parsed.error, path));
    return undefined;
  }
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const keyField = parsed.data.asyncOperationKey !== undefined ? "asyncOperationKey" : "aidp-async-operation-key";
  const keyRaw = parsed.data.asyncOperationKey ?? parsed.data["aidp-async-operation-key"];
  if (keyRaw === undefined) problems.push(`${at("asyncOperationKey")}: required (or aidp-async-operation-key)`);
  if (parsed.data.aiDataPlatformId === undefined) problems.push(`${at("aiDataPlatformId")}: required`);
  const platformId =
    parsed.data.aiDataPlatformId === undefined
      ? undefined
      : checkField(platformIdSchema, parsed.data.aiDataPlatformId, at("aiDataPlatformId"), problems);
  const asyncOperationKey = keyRaw === undefined ? undefined : checkField(keySchema, keyRaw, at(keyField), problems);
  if (platformId === undefined || asyncOperationKey === undefined) return undefined;
  return { platformId, asyncOperationKey, via: "direct" };
}

function parseOne(value: unknown, path: string, problems: string[]): TrackTarget | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${path || "(input)"}: expected a CloudEvents envelope or { aiDataPlatformId, asyncOperationKey }`);
    return undefined;
  }
  if ("specversion" in value) {
    // OCI Events delivers CloudEvents 0.1 (eventType, cloudEventsVersion); a 1.0 envelope comes from elsewhere.
    problems.push(
      `${path || "(input)"}: a CloudEvents ${String(value.specversion)} envelope (specversion/type); track accepts the OCI Events envelope (CloudEvents 0.1: eventType, data) or { aiDataPlatformId, asyncOperationKey }`,
    );
    return undefined;
  }
  if ("eventType" in value || "data" in value) return parseEvent(value, path, problems);
  if (!Object.keys(PlainSchema.shape).some((k) => k in value)) {
    const keys = Object.keys(value);
    problems.push(
      `${path || "(input)"}: neither an OCI Events envelope (eventType, data) nor { aiDataPlatformId, asyncOperationKey }: ${keys.length === 0 ? "an empty object" : `keys ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", …" : ""}`}`,
    );
    return undefined;
  }
  return parsePlain(value, path, problems);
}

/** Parses a track request; throws `TrackInputError` listing every problem. Duplicates are folded. */
export function parseTrackRequest(input: unknown): TrackTarget[] {
  const problems: string[] = [];
  const targets: TrackTarget[] = [];
  if (typeof input === "string") {
    problems.push("(input): expected JSON (a CloudEvents envelope, { aiDataPlatformId, asyncOperationKey }, or an array of them)");
  } else if (Array.isArray(input)) {
    if (input.length === 0) problems.push("(input): the array is empty");
    if (input.length > MAX_TRACK_ITEMS) problems.push(`(input): at most ${MAX_TRACK_ITEMS} operations per request (got ${input.length})`);
    else
      input.forEach((item, i) => {
        const t = parseOne(item, `[${i}]`, problems);
        if (t) targets.push(t);
      });
  } else {
    const t = parseOne(input, "", problems);
    if (t) targets.push(t);
  }
  if (problems.length > 0) throw new TrackInputError(problems);
  const seen = new Set<string>();
  return targets.filter((t) => {
    const id = `${t.platformId}/${t.asyncOperationKey}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
