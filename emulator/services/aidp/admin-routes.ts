/**
 * Unauthenticated `/_emulator/aidp/…` routes for the local stack and for
 * driving the emulator by hand (curl). Bodies are validated with the same
 * zod schemas as the programmatic API.
 */
import { z } from "zod";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import type { AidpStore } from "./aidp-store.js";
import { asyncOperationJson } from "./async-operation-json.js";
import { platformJson } from "./platform-routes.js";
import { jsonBody, parseOrThrow } from "./request-params.js";
import type { RetryTokenLog } from "./retry-token-log.js";
import { JobRunSeedSchema, OperationSeedSchema, OperationStatusChangeSchema } from "./seeds.js";

const Params = z.object({
  platformId: z.string().min(1).max(500),
  key: z.string().min(1).max(200).optional(),
  workspaceKey: z.string().min(1).max(255).optional(),
});

/** Control-plane fields of a platform (all optional: defaults for a new one, unchanged for an update). */
export const PlatformInfoSchema = z.strictObject({
  compartmentId: z.string().min(1).max(255).optional(),
  displayName: z.string().min(1).max(255).optional(),
  lifecycleState: z.string().min(1).max(64).optional(),
  freeformTags: z.record(z.string(), z.string()).optional(),
});

export function aidpAdminRoutes(store: AidpStore, retryTokens: RetryTokenLog): RouteDef[] {
  const params = (req: EmuRequest) => parseOrThrow(Params, req.params, "path");
  const route = (method: string, pattern: string, name: string, handler: (req: EmuRequest) => EmuResponse): RouteDef => ({
    method,
    pattern,
    name: `aidp.admin.${name}`,
    handler,
  });
  return [
    route("POST", "/platforms/:platformId", "addPlatform", (req) => {
      const { platformId } = params(req);
      store.addPlatform(platformId, parseOrThrow(PlatformInfoSchema, jsonBody(req.body), "body"));
      return { status: 200, body: { platformId } };
    }),
    route("PATCH", "/platforms/:platformId", "updatePlatform", (req) => {
      const { platformId } = params(req);
      store.updatePlatform(platformId, parseOrThrow(PlatformInfoSchema, jsonBody(req.body), "body"));
      return { status: 200, body: platformJson(store.platformInfos().find((p) => p.id === platformId)!) };
    }),
    route("GET", "/platforms/:platformId/asyncOperations", "listAllOperations", (req) => {
      const { platformId } = params(req);
      const items = store
        .allOperations(platformId)
        .sort((a, b) => a.timeStarted - b.timeStarted || a.key.localeCompare(b.key))
        .map((op) => ({ ...asyncOperationJson(op), emulatorVisible: op.visible }));
      return { status: 200, body: { items } };
    }),
    route("POST", "/platforms/:platformId/asyncOperations", "addOperation", (req) => {
      const { platformId } = params(req);
      const seed = parseOrThrow(OperationSeedSchema, jsonBody(req.body), "body");
      return { status: 200, body: store.addOperation(platformId, seed) };
    }),
    route("PUT", "/platforms/:platformId/asyncOperations/:key/status", "setOperationStatus", (req) => {
      const { platformId, key } = params(req);
      const change = parseOrThrow(OperationStatusChangeSchema, jsonBody(req.body), "body");
      store.setOperationStatus(platformId, key!, change.status, change);
      return { status: 200, body: asyncOperationJson(store.getOperation(platformId, key!)!) };
    }),
    route("DELETE", "/platforms/:platformId/asyncOperations/:key", "removeOperation", (req) => {
      const { platformId, key } = params(req);
      store.removeOperation(platformId, key!);
      return { status: 204 };
    }),
    route("POST", "/platforms/:platformId/workspaces/:workspaceKey/jobRuns", "addJobRun", (req) => {
      const { platformId, workspaceKey } = params(req);
      const seed = parseOrThrow(JobRunSeedSchema, jsonBody(req.body), "body");
      return { status: 200, body: store.addJobRun(platformId, workspaceKey!, seed) };
    }),
    route("GET", "/retryTokens", "retryTokens", (req) => ({
      status: 200,
      body: { tokens: retryTokens.tokens(req.query.get("route") ?? undefined) },
    })),
  ];
}
