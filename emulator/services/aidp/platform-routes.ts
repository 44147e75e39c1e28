/**
 * The AIDP control plane's ListAiDataPlatforms (API 20240831, the
 * `oci-aidataplatform` SDK's `GET /20240831/aiDataPlatforms`): platforms of
 * one compartment (`compartmentId`; or one platform by `id`), filtered by
 * `lifecycleState` / `excludeLifecycleState` (case-insensitive, as the SDK
 * documents) and `displayName`, sorted by `timeCreated` (default, newest
 * first) or `displayName` (A→Z by default), in pages of `limit` (1–1000,
 * default 100) with an opaque `opc-next-page` token (keyset-page.ts). Only
 * platforms of the compartment itself are listed, not of sub-compartments.
 */
import { z } from "zod";
import { badRequest } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import type { AidpStore, PlatformInfo } from "./aidp-store.js";
import { keysetPage, queryFingerprint } from "./keyset-page.js";
import { limitParam, pageParam, parseOrThrow, queryObject } from "./request-params.js";

const ListQuery = z.object({
  compartmentId: z.string().min(1).max(255).optional(),
  id: z.string().min(1).max(255).optional(),
  lifecycleState: z.string().min(1).max(64).optional(),
  excludeLifecycleState: z.string().min(1).max(64).optional(),
  displayName: z.string().min(1).max(255).optional(),
  limit: limitParam,
  page: pageParam,
  sortBy: z.enum(["timeCreated", "displayName"], { message: "must be timeCreated or displayName" }).default("timeCreated"),
  sortOrder: z.enum(["ASC", "DESC"], { message: "must be ASC or DESC" }).optional(),
  includeLegacy: z.string().optional(),
});

export function platformJson(p: { id: string } & PlatformInfo): Record<string, unknown> {
  return {
    id: p.id,
    displayName: p.displayName,
    compartmentId: p.compartmentId,
    aiDataPlatformType: p.aiDataPlatformType,
    timeCreated: new Date(p.timeCreated).toISOString(),
    timeUpdated: new Date(p.timeUpdated).toISOString(),
    lifecycleState: p.lifecycleState,
    freeformTags: p.freeformTags,
    definedTags: {},
    systemTags: {},
  };
}

export function platformRoutes(store: AidpStore): RouteDef[] {
  const list = (req: EmuRequest): EmuResponse => {
    const q = parseOrThrow(ListQuery, queryObject(req.query), "query");
    if (q.compartmentId === undefined && q.id === undefined) throw badRequest("MissingParameter", "compartmentId or id must be specified");
    const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
    const order = q.sortOrder ?? (q.sortBy === "displayName" ? "ASC" : "DESC");
    const items = store
      .platformInfos()
      .filter((p) => q.compartmentId === undefined || p.compartmentId === q.compartmentId)
      .filter((p) => q.id === undefined || p.id === q.id)
      .filter((p) => q.lifecycleState === undefined || same(p.lifecycleState, q.lifecycleState))
      .filter((p) => q.excludeLifecycleState === undefined || !same(p.lifecycleState, q.excludeLifecycleState))
      .filter((p) => q.displayName === undefined || p.displayName === q.displayName)
      .map((p) => ({ ...p, key: p.id, sortValue: q.sortBy === "displayName" ? p.displayName : p.timeCreated }));
    const { page, limit, ...filters } = q;
    const result = keysetPage(items, { order, limit, page, fingerprint: queryFingerprint(filters) });
    return {
      status: 200,
      headers: result.nextPage ? { "opc-next-page": result.nextPage } : {},
      body: { items: result.items.map(platformJson) },
    };
  };
  return [{ method: "GET", pattern: "/20240831/aiDataPlatforms", name: "aidp.listAiDataPlatforms", handler: list }];
}
