import { z } from "zod";
import { AidpInputError } from "./aidp-errors.js";

/**
 * Request-side schemas, checked before anything is sent (limits from the
 * API reference, oci-facts §1.2–§1.4). Filters that are enums on the service
 * side are open strings here too: a newer status must be usable as a filter.
 */
const noControl = (s: string) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
export const PlatformIdSchema = z.string().min(1).max(500).refine(noControl, "must not contain control characters");
export const KeySchema = z.string().min(1).max(200).refine(noControl, "must not contain control characters");
const limit = z.number().int().min(1).max(1000);
const page = z.string().min(1).max(1024);
const sortOrder = z.enum(["ASC", "DESC"]);
const stringList = z.array(z.string().min(1)).min(1);
const isoTime = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => (v instanceof Date ? v.toISOString() : v));

export const ListAsyncOperationsFilterSchema = z
  .object({
    status: z.string().min(1).optional(),
    resourceType: z.string().min(1).optional(),
    resourceName: z.string().min(1).max(255).optional(),
    /** Prefix match of `resourceName` instead of exact. @default false (service) */
    matchResourceName: z.boolean().optional(),
    /** Only operations started by the calling principal. @default false (service) */
    shouldFilterByCallingPrincipal: z.boolean().optional(),
    /** Page size (1–1000). @default 100 (service) */
    limit: limit.optional(),
    page: page.optional(),
    sortBy: z.string().min(1).optional(),
    sortOrder: sortOrder.optional(),
  })
  .strict();
export type ListAsyncOperationsFilter = z.input<typeof ListAsyncOperationsFilterSchema>;

export const ListTaskRunsFilterSchema = z
  .object({
    jobRunKey: KeySchema,
    displayName: z.string().min(1).optional(),
    /** Any of these statuses (repeated query parameter). */
    status: stringList.optional(),
    parentJobRunKey: KeySchema.optional(),
    rootJobRunKey: KeySchema.optional(),
    limit: limit.optional(),
    page: page.optional(),
    sortBy: z.string().min(1).optional(),
    sortOrder: sortOrder.optional(),
  })
  .strict();
export type ListTaskRunsFilter = z.input<typeof ListTaskRunsFilterSchema>;

export const ListJobRunsFilterSchema = z
  .object({
    displayName: z.string().min(1).optional(),
    jobKey: stringList.optional(),
    status: stringList.optional(),
    /** RFC 3339 string or Date; sent as RFC 3339. */
    timeCreatedGreaterThanOrEqualTo: isoTime.optional(),
    timeCreatedLessThanOrEqualTo: isoTime.optional(),
    limit: limit.optional(),
    page: page.optional(),
    sortBy: z.string().min(1).optional(),
    sortOrder: sortOrder.optional(),
  })
  .strict();
export type ListJobRunsFilter = z.input<typeof ListJobRunsFilterSchema>;

export const FetchOutputDetailsSchema = z.object({ outputKey: z.string().min(1).max(100).optional() }).strict();
export type FetchOutputDetails = z.input<typeof FetchOutputDetailsSchema>;

export const ExportOutputDetailsSchema = z.object({ format: z.string().min(1).default("HTML") }).strict();
export type ExportOutputDetails = z.input<typeof ExportOutputDetailsSchema>;

/** Parses `value` or throws `AidpInputError` naming the argument. */
export function checkInput<S extends z.ZodType>(operation: string, name: string, schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AidpInputError(
    operation,
    r.error.issues.map((i) => `${[name, ...i.path.map(String)].join(".")}: ${i.message}`),
  );
}
