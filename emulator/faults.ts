/**
 * Per-route fault injection. A fault matches a route name (exact, a `prefix.*`
 * wildcard such as `os.*`, or `*`) and applies to the next `times` matching
 * requests (default: every one), after `skip` requests have passed untouched.
 * Faults are checked after signature verification, so a faulted request was
 * still a correctly signed one.
 */
import { z } from "zod";

export const FaultSpecSchema = z
  .object({
    route: z.string().min(1).describe("route name, `service.*` or `*`"),
    /** HTTP status to answer with (with an OCI error body). */
    status: z.number().int().min(100).max(599).optional(),
    /** OCI error `code` for the body; default derived from the status. */
    code: z.string().optional(),
    message: z.string().optional(),
    /** Seconds, sent as `Retry-After`. */
    retryAfter: z.number().nonnegative().optional(),
    /** Delay before answering (or before the fault), in ms. */
    latencyMs: z.number().int().nonnegative().optional(),
    /** Destroy the connection without an answer. */
    reset: z.boolean().optional(),
    /** Answer 200 with a body that is not valid JSON. */
    malformed: z.boolean().optional(),
    /**
     * Answer what the route would answer, with these top-level fields of its
     * JSON object body replaced: a documented 200 with an odd shape (the SDK
     * models type some fields as `any`).
     */
    patchBody: z.record(z.string(), z.unknown()).optional(),
    /** Never answer (until the emulator closes): a hang past the client's timeout. */
    hang: z.boolean().optional(),
    /** Let this many matching requests through before the fault starts. @default 0 */
    skip: z.number().int().nonnegative().default(0),
    /** How many matching requests the fault applies to. @default unlimited */
    times: z.number().int().positive().optional(),
  })
  .strict();
export type FaultSpec = z.input<typeof FaultSpecSchema>;
type Fault = z.output<typeof FaultSpecSchema> & { id: number; seen: number; applied: number };

const DEFAULT_CODES: Record<number, string> = {
  400: "InvalidParameter",
  401: "NotAuthenticated",
  404: "NotAuthorizedOrNotFound",
  409: "Conflict",
  412: "NoEtagMatch",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export function defaultErrorCode(status: number): string {
  return DEFAULT_CODES[status] ?? "InternalServerError";
}

function routeMatches(pattern: string, route: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return route.startsWith(pattern.slice(0, -1));
  return pattern === route;
}

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    const parsed = FaultSpecSchema.parse(spec);
    const id = this.nextId++;
    this.faults.push({ ...parsed, id, seen: 0, applied: 0 });
    return id;
  }

  remove(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  list(): ReadonlyArray<Readonly<Fault>> {
    return this.faults;
  }

  /** The fault to apply to this request, if any (consumes one use of it). */
  take(route: string): Readonly<Fault> | undefined {
    for (const f of this.faults) {
      if (!routeMatches(f.route, route)) continue;
      f.seen++;
      if (f.seen <= f.skip) continue;
      if (f.times !== undefined && f.applied >= f.times) continue;
      f.applied++;
      return f;
    }
    return undefined;
  }
}
