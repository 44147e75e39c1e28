import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../../shared/time/clock.js";
import { ServiceError } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";
import { objectHeaders } from "./request-helpers.js";
import { type ObjectStorageState, objectNotFound, resolveBucket } from "./state.js";

/**
 * Pre-authenticated requests, as the real `oci-objectstorage` client's
 * `createPreauthenticatedRequest` uses them:
 *
 *   POST /n/{ns}/b/{bucket}/p   (signed)  { name, objectName, accessType: "ObjectRead", timeExpires }
 *        → PreauthenticatedRequest { id, name, accessUri: "/p/<token>/n/{ns}/b/{bucket}/o/{object}", … }
 *   GET|HEAD /p/<token>/n/{ns}/b/{bucket}/o/{object}   (no signature: the token is the credential)
 *        → the object with its Content-Type, while the PAR lives and only for the object it names
 *
 * Only `ObjectRead` for one object is supported (what aidp-watch asks for);
 * other access types are refused as the service refuses a bad request. PARs
 * live in memory: after an emulator restart their links answer 404, like a
 * deleted PAR.
 */
const CreateParSchema = z.object({
  name: z.string().min(1).max(1024),
  objectName: z.string().min(1).max(1024).optional(),
  accessType: z.string(),
  timeExpires: z.string(),
});

interface Par {
  readonly id: string;
  readonly name: string;
  readonly bucket: string;
  readonly objectName: string;
  readonly timeCreated: string;
  readonly timeExpires: string;
  readonly expiresMs: number;
}

export function parRoutes(state: ObjectStorageState, clock: Clock): RouteDef[] {
  const pars = new Map<string, Par>();

  function create(req: EmuRequest): EmuResponse {
    const bucket = resolveBucket(state, req);
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString("utf8"));
    } catch {
      throw new ServiceError(400, "InvalidParameter", "The request body is not valid JSON");
    }
    const parsed = CreateParSchema.safeParse(raw);
    if (!parsed.success) throw new ServiceError(400, "InvalidParameter", z.prettifyError(parsed.error));
    const d = parsed.data;
    if (d.accessType !== "ObjectRead" || d.objectName === undefined) {
      throw new ServiceError(
        400,
        "InvalidParameter",
        `The emulator supports accessType ObjectRead on one object only (got ${d.accessType})`,
      );
    }
    const expiresMs = Date.parse(d.timeExpires);
    if (!Number.isFinite(expiresMs) || expiresMs <= clock.now())
      throw new ServiceError(400, "InvalidParameter", "timeExpires must be a time in the future");
    const token = randomBytes(32).toString("base64url");
    const par: Par = {
      id: randomUUID(),
      name: d.name,
      bucket,
      objectName: d.objectName,
      timeCreated: new Date(clock.now()).toISOString(),
      timeExpires: new Date(expiresMs).toISOString(),
      expiresMs,
    };
    pars.set(token, par);
    const accessUri = `/p/${token}/n/${encodeURIComponent(state.namespace)}/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(d.objectName)}`;
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: {
        id: par.id,
        name: par.name,
        accessUri,
        objectName: par.objectName,
        accessType: "ObjectRead",
        timeCreated: par.timeCreated,
        timeExpires: par.timeExpires,
      },
    };
  }

  function read(req: EmuRequest, head: boolean): EmuResponse {
    const par = pars.get(req.params.token ?? "");
    const live = par !== undefined && par.expiresMs > clock.now();
    // One answer for every refusal (unknown token, expired, another object): a PAR reveals nothing else.
    if (
      !live ||
      par.bucket !== req.params.bucketName ||
      par.objectName !== req.params.objectName ||
      req.params.namespaceName !== state.namespace
    ) {
      throw new ServiceError(404, "NotAuthorizedOrNotFound", "The pre-authenticated request does not exist or has expired");
    }
    const obj = state.store.read(par.bucket, par.objectName);
    if (!obj) throw objectNotFound(par.bucket, par.objectName);
    const headers = objectHeaders(obj.meta);
    return head
      ? { status: 200, headers: { ...headers, "content-length": obj.meta.size } }
      : { status: 200, headers: { ...headers, "content-length": obj.body.length }, body: obj.body };
  }

  const PAR_OBJECT = "/p/:token/n/:namespaceName/b/:bucketName/o/:objectName";
  return [
    { method: "POST", pattern: "/n/:namespaceName/b/:bucketName/p", name: "os.createPreauthenticatedRequest", handler: create },
    { method: "GET", pattern: PAR_OBJECT, name: "os.parGetObject", unauthenticated: true, handler: (req) => read(req, false) },
    { method: "HEAD", pattern: PAR_OBJECT, name: "os.parHeadObject", unauthenticated: true, handler: (req) => read(req, true) },
  ];
}
