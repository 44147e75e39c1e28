/**
 * The AIDP control plane (API 20240831) through the published
 * `oci-aidataplatform` SDK client: `ListAiDataPlatforms` of one compartment,
 * every page (`limit` + `opc-next-page`). Each page's items are parsed at this
 * boundary (lifecycle states stay open strings). Every request goes through
 * the one retry loop (`sdkCall`), bounded by the caller's deadline.
 */
import type { AiDataPlatformClient } from "oci-aidataplatform";
import { AidpWatchError } from "../errors/aidp-watch-error.js";
import type { HttpError } from "../http/http-errors.js";
import { sdkCall } from "../oci/sdk-call.js";
import { toHttpError } from "../oci/to-http-error.js";
import * as z from "../schema/zod.js";
import type { Deadline } from "../time/deadline.js";
import type { ListedPlatform } from "../watch/platform-selection.js";

export class ControlPlaneError extends AidpWatchError {}

const PlatformSchema = z.object({
  id: z.string().check(z.minLength(1)),
  compartmentId: z.string(),
  displayName: z.optional(z.nullable(z.string())),
  lifecycleState: z.string(),
  freeformTags: z.optional(z.nullable(z.record(z.string(), z.string()))),
});
const CollectionSchema = z.object({ items: z.array(PlatformSchema) });

/** The API's largest page: fewest calls. */
export const PLATFORM_PAGE_SIZE = 1000;
/** A runaway pager (a service that keeps answering with a next page) stops here. */
const MAX_PAGES = 1000;

export class AidpControlPlane {
  constructor(private readonly client: () => Promise<AiDataPlatformClient>) {}

  /** Platforms of `compartmentId` (not of its sub-compartments), filtered by lifecycle state on the server when given. */
  async listPlatforms(
    compartmentId: string,
    options: { deadline: Deadline; lifecycleState?: string; pageSize?: number },
  ): Promise<ListedPlatform[]> {
    const client = await this.client();
    const out: ListedPlatform[] = [];
    let page: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      let response: Awaited<ReturnType<AiDataPlatformClient["listAiDataPlatforms"]>>;
      try {
        response = await sdkCall({ operation: "aidp.listAiDataPlatforms", deadline: options.deadline }, () =>
          client.listAiDataPlatforms({
            compartmentId,
            ...(options.lifecycleState ? { lifecycleState: options.lifecycleState } : {}),
            limit: options.pageSize ?? PLATFORM_PAGE_SIZE,
            ...(page ? { page } : {}),
          }),
        );
      } catch (err) {
        const cause: HttpError = toHttpError(err, { operation: "aidp.listAiDataPlatforms" });
        throw new ControlPlaneError(`listing the AI Data Platforms of ${compartmentId} failed: ${cause.message}`, {
          cause,
          context: { operation: "aidp.listAiDataPlatforms", compartmentId, ...cause.context },
        });
      }
      const parsed = CollectionSchema.safeParse(response.aiDataPlatformCollection);
      if (!parsed.success) {
        throw new ControlPlaneError(
          `unexpected ListAiDataPlatforms answer for ${compartmentId}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          {
            context: { operation: "aidp.listAiDataPlatforms", compartmentId, opcRequestId: response.opcRequestId },
          },
        );
      }
      for (const p of parsed.data.items) {
        out.push({
          id: p.id,
          compartmentId: p.compartmentId,
          displayName: p.displayName ?? undefined,
          lifecycleState: p.lifecycleState,
          freeformTags: p.freeformTags ?? {},
        });
      }
      page = response.opcNextPage || undefined;
      if (!page) return out;
    }
    throw new ControlPlaneError(`ListAiDataPlatforms of ${compartmentId} kept returning pages (${MAX_PAGES})`, {
      context: { compartmentId },
    });
  }
}
