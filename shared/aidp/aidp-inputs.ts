/**
 * Request-side schemas, checked before anything is sent (limits from the
 * API reference: docs/aidp-api.md). Filters that are enums on the service
 * side are open strings here too: a newer status must be usable as a filter.
 */
import * as z from "../schema/zod.js";
import { AidpInputError } from "./aidp-errors.js";

const noControl = (s: string) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const nonEmpty = z.string().check(z.minLength(1));
export const PlatformIdSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(500), z.refine(noControl, "must not contain control characters"));
export const KeySchema = z.string().check(z.minLength(1), z.maxLength(200), z.refine(noControl, "must not contain control characters"));
const limit = z.number().check(z.int(), z.minimum(1), z.maximum(1000));
const page = z.string().check(z.minLength(1), z.maxLength(1024));
const sortOrder = z.enum(["ASC", "DESC"]);
const stringList = z.array(nonEmpty).check(z.minLength(1));
const isoTime = z.pipe(
  z.union([z.date(), z.iso.datetime({ offset: true })]),
  z.transform((v: Date | string) => (v instanceof Date ? v.toISOString() : v)),
);

export const ListAsyncOperationsFilterSchema = z.strictObject({
  status: z.optional(nonEmpty),
  resourceType: z.optional(nonEmpty),
  resourceName: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
  /** Prefix match of `resourceName` instead of exact. @default false (service) */
  matchResourceName: z.optional(z.boolean()),
  /** Only operations started by the calling principal. @default false (service) */
  shouldFilterByCallingPrincipal: z.optional(z.boolean()),
  /** Page size (1–1000). @default 100 (service) */
  limit: z.optional(limit),
  page: z.optional(page),
  sortBy: z.optional(nonEmpty),
  sortOrder: z.optional(sortOrder),
});
export type ListAsyncOperationsFilter = z.input<typeof ListAsyncOperationsFilterSchema>;

export const ListTaskRunsFilterSchema = z.strictObject({
  jobRunKey: KeySchema,
  displayName: z.optional(nonEmpty),
  /** Any of these statuses (repeated query parameter). */
  status: z.optional(stringList),
  parentJobRunKey: z.optional(KeySchema),
  rootJobRunKey: z.optional(KeySchema),
  limit: z.optional(limit),
  page: z.optional(page),
  sortBy: z.optional(nonEmpty),
  sortOrder: z.optional(sortOrder),
});
export type ListTaskRunsFilter = z.input<typeof ListTaskRunsFilterSchema>;

export const ListJobRunsFilterSchema = z.strictObject({
  displayName: z.optional(nonEmpty),
  jobKey: z.optional(stringList),
  status: z.optional(stringList),
  /** RFC 3339 string or Date; sent as RFC 3339. */
  timeCreatedGreaterThanOrEqualTo: z.optional(isoTime),
  timeCreatedLessThanOrEqualTo: z.optional(isoTime),
  limit: z.optional(limit),
  page: z.optional(page),
  sortBy: z.optional(nonEmpty),
  sortOrder: z.optional(sortOrder),
});
export type ListJobRunsFilter = z.input<typeof ListJobRunsFilterSchema>;

export const FetchOutputDetailsSchema = z.strictObject({ outputKey: z.optional(z.string().check(z.minLength(1), z.maxLength(100))) });
export type FetchOutputDetails = z.input<typeof FetchOutputDetailsSchema>;

export const ExportOutputDetailsSchema = z.strictObject({ format: z._default(nonEmpty, "HTML") });
export type ExportOutputDetails = z.input<typeof ExportOutputDetailsSchema>;

/** Parses `value` or throws `AidpInputError` naming the argument. */
export function checkInput<S extends z.ZodMiniType>(operation: string, name: string, schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AidpInputError(
    operation,
    r.error.issues.map((i) => `${[name, ...i.path.map(String)].join(".")}: ${i.message}`),
  );
}
