/**
 * One local HTTP server for every emulated OCI service, on one port: the
 * services' path spaces don't overlap (`/20260430/…` AIDP data plane,
 * `/n/…` Object Storage, `/20181201/…` Notifications). Every service request
 * must carry a valid OCI signature. `/_emulator/…` is the unauthenticated
 * control plane for tests and the local stack (faults, stats, inspection).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Clock, systemClock } from "../shared/time/clock.js";
import { KeyRegistry } from "./auth/key-registry.js";
import { verifySignature } from "./auth/signature-verifier.js";
import { defaultErrorCode, FaultInjector, FaultSpecSchema } from "./faults.js";
import { RequestStats } from "./http/request-stats.js";
import { Router } from "./http/router.js";
import { ServiceError } from "./http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "./http/types.js";

export interface EmulatorContext {
  /** Drives simulated time (operations progressing); fake-clock friendly. */
  readonly clock: Clock;
  /** Set when state must persist across restarts (`--data-dir`). */
  readonly dataDir: string | undefined;
}

export interface EmulatorService {
  readonly name: string;
  routes(): RouteDef[];
  /** Unauthenticated `/_emulator/<service>/…` routes for inspection and seeding. */
  adminRoutes?(): RouteDef[];
  close?(): Promise<void>;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  /** Wall clock for signature date checks (real time even when `clock` is fake). */
  wallClock?: Clock;
  dataDir?: string;
  /** Added to every service request: models network + service latency in benches. @default 0 */
  latencyMs?: number;
  registry?: KeyRegistry;
  services?: Array<(ctx: EmulatorContext) => EmulatorService>;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly registry: KeyRegistry;
  readonly faults: FaultInjector;
  readonly stats: RequestStats;
  readonly context: EmulatorContext;
  service<T extends EmulatorService>(name: string): T;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError(413, "RequestEntityTooLarge", "request body too large for the emulator"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, response: EmuResponse, requestId: string): void {
  const headers: Record<string, string | number> = { "opc-request-id": requestId, ...response.headers };
  let payload: Buffer | undefined;
  if (response.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(response.body)) payload = response.body;
  else if (typeof response.body === "string") payload = Buffer.from(response.body);
  else {
    payload = Buffer.from(JSON.stringify(response.body));
    headers["content-type"] ??= "application/json";
  }
  if (!("content-length" in headers)) headers["content-length"] = payload?.length ?? 0;
  res.writeHead(response.status, headers);
  res.end(payload);
}

function errorResponse(err: ServiceError): EmuResponse {
  return { status: err.status, headers: err.headers, body: { code: err.code, message: err.message } };
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,255}$/;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? systemClock;
  const wallClock = options.wallClock ?? systemClock;
  const registry = options.registry ?? new KeyRegistry();
  const faults = new FaultInjector();
  const stats = new RequestStats();
  const router = new Router();
  const admin = new Router();
  let latencyMs = options.latencyMs ?? 0;
  const context: EmulatorContext = { clock, dataDir: options.dataDir };
  const services = new Map<string, EmulatorService>();
  for (const make of options.services ?? []) {
    const svc = make(context);
    services.set(svc.name, svc);
    for (const r of svc.routes()) router.add(r);
    for (const r of svc.adminRoutes?.() ?? []) admin.add({ ...r, pattern: `/_emulator/${svc.name}${r.pattern}` });
  }
  admin.add({ method: "GET", pattern: "/_emulator/health", name: "admin.health", handler: () => ({ status: 200, body: { ok: true } }) });
  admin.add({ method: "GET", pattern: "/_emulator/stats", name: "admin.stats", handler: () => ({ status: 200, body: stats.snapshot() }) });
  admin.add({
    method: "DELETE",
    pattern: "/_emulator/stats",
    name: "admin.resetStats",
    handler: () => {
      stats.reset();
      return { status: 204 };
    },
  });
  admin.add({
    method: "POST",
    pattern: "/_emulator/faults",
    name: "admin.addFault",
    handler: (req) => {
      const parsed = FaultSpecSchema.safeParse(JSON.parse(req.body.toString("utf8") || "{}"));
      if (!parsed.success) throw new ServiceError(400, "InvalidParameter", parsed.error.message);
      return { status: 200, body: { id: faults.add(parsed.data) } };
    },
  });
  admin.add({
    method: "GET",
    pattern: "/_emulator/faults",
    name: "admin.listFaults",
    handler: () => ({ status: 200, body: faults.list() }),
  });
  admin.add({
    method: "DELETE",
    pattern: "/_emulator/faults",
    name: "admin.clearFaults",
    handler: () => {
      faults.clear();
      return { status: 204 };
    },
  });

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = req.headers["opc-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID().replaceAll("-", "").toUpperCase();
    try {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const rawPath = q === -1 ? url : url.slice(0, q);
      const query = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
      const method = (req.method ?? "GET").toUpperCase();
      const body = await readBody(req);
      const isAdmin = rawPath.startsWith("/_emulator/");
      const match = (isAdmin ? admin : router).match(method, rawPath);
      if (match === undefined) throw new ServiceError(404, "NotAuthorizedOrNotFound", `No route for ${method} ${rawPath}`);
      if (match === "method") throw new ServiceError(405, "MethodNotAllowed", `${method} is not allowed on ${rawPath}`);
      let principal = "emulator-admin";
      if (!isAdmin && match.def.unauthenticated) principal = "pre-authenticated-request";
      else if (!isAdmin) {
        principal = verifySignature(
          { method, url, headers: req.headers, body, bodySigned: match.def.bodySigned ?? true, nowMs: wallClock.now() },
          registry,
        ).principal;
      }
      let bodyPatch: Record<string, unknown> | undefined;
      const emuReq: EmuRequest = {
        method,
        rawPath,
        query,
        headers: req.headers,
        body,
        params: match.params,
        requestId,
        principal,
        route: match.def.name,
      };
      if (!isAdmin) {
        stats.record(match.def.name);
        match.def.observe?.(emuReq);
        if (latencyMs > 0) await wallClock.sleep(latencyMs);
        const fault = faults.take(match.def.name);
        bodyPatch = fault?.patchBody;
        if (fault) {
          if (fault.latencyMs) await wallClock.sleep(fault.latencyMs);
          if (fault.hang) return; // left open; destroyed on close()
          if (fault.reset) {
            req.socket.destroy();
            return;
          }
          if (fault.malformed) {
            send(res, { status: 200, headers: { "content-type": "application/json" }, body: '{"truncated": ' }, requestId);
            return;
          }
          if (fault.status) {
            const headers: Record<string, string | number> = {};
            if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
            const code = fault.code ?? defaultErrorCode(fault.status);
            send(res, errorResponse(new ServiceError(fault.status, code, fault.message ?? `Injected fault ${code}`, headers)), requestId);
            return;
          }
        }
      }
      const response = await match.def.handler(emuReq);
      const patch = bodyPatch;
      if (patch && typeof response.body === "object" && response.body !== null && !Buffer.isBuffer(response.body)) {
        send(res, { ...response, body: { ...(response.body as Record<string, unknown>), ...patch } }, requestId);
        return;
      }
      send(res, response, requestId);
    } catch (err) {
      if (res.headersSent || res.destroyed) return;
      const se =
        err instanceof ServiceError
          ? err
          : new ServiceError(500, "InternalServerError", `emulator error: ${err instanceof Error ? err.message : String(err)}`);
      send(res, errorResponse(se), requestId);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host}:${port}`,
    port,
    registry,
    faults,
    stats,
    context,
    service<T extends EmulatorService>(name: string): T {
      const svc = services.get(name);
      if (!svc) throw new Error(`emulator has no service ${name}`);
      return svc as T;
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    async close() {
      for (const svc of services.values()) await svc.close?.();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
