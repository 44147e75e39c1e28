/**
 * The OCI Functions invoke API (20181201) of the local emulator:
 * `POST /20181201/functions/{functionId}/actions/invoke`, as the
 * `oci-functions` SDK's `FunctionsInvokeClient` sends it (signed like every
 * other call). `fn-invoke-type: sync` (default) answers 200 with the
 * function's answer; `detached` answers 202 at once and runs the call in the
 * background, as OCI Functions does. Bodies over 6 MB answer 413.
 *
 * The emulator runs no code itself: whoever hosts the functions (the local
 * stack, a test) registers a target per function OCID that delivers the body
 * to the function, e.g. over its FDK socket. Unknown functions answer 404.
 *
 * Route: functions.invokeFunction. Admin: `GET /_emulator/functions/invocations`.
 */
import type { EmulatorContext, EmulatorService } from "../../server.js";
import { badRequest, notFound, ServiceError } from "../../http/service-error.js";
import type { EmuRequest, EmuResponse, RouteDef } from "../../http/types.js";

export type FunctionTarget = (
  body: Buffer,
  headers: { invokeType: "sync" | "detached"; requestId: string },
) => Promise<{ status: number; body: string }>;

export interface FunctionInvocationRecord {
  readonly functionId: string;
  readonly invokeType: "sync" | "detached";
  readonly body: string;
  readonly requestId: string;
  /** Set once a detached call finished (its function's HTTP status), or failed to reach it (`error`). */
  status?: number;
  error?: string;
}

export interface FunctionsEmulator extends EmulatorService {
  register(functionId: string, target: FunctionTarget): void;
  unregister(functionId: string): void;
  /** Every invocation accepted, in order. */
  invocations(functionId?: string): readonly FunctionInvocationRecord[];
  /** Resolves when every detached call started so far has finished. */
  settled(): Promise<void>;
}

export const MAX_INVOKE_BODY_BYTES = 6 * 1024 * 1024;
const MAX_RECORDS = 10_000;

export function functionsService(): (ctx: EmulatorContext) => FunctionsEmulator {
  return () => {
    const targets = new Map<string, FunctionTarget>();
    const records: FunctionInvocationRecord[] = [];
    const running = new Set<Promise<void>>();

    const invoke = async (req: EmuRequest): Promise<EmuResponse> => {
      const functionId = req.params.functionId ?? "";
      const target = targets.get(functionId);
      if (!target) throw notFound("NotAuthorizedOrNotFound", `Function ${functionId} not found or not authorized`);
      const rawType = String(req.headers["fn-invoke-type"] ?? "sync").toLowerCase();
      if (rawType !== "sync" && rawType !== "detached") throw badRequest("InvalidParameter", "fn-invoke-type must be sync or detached");
      if (req.body.length > MAX_INVOKE_BODY_BYTES) throw new ServiceError(413, "PayloadTooLarge", "invoke body exceeds 6 MB");
      const record: FunctionInvocationRecord = {
        functionId,
        invokeType: rawType,
        body: req.body.toString("utf8"),
        requestId: req.requestId,
      };
      records.push(record);
      if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
      if (rawType === "sync") {
        const answer = await target(req.body, { invokeType: "sync", requestId: req.requestId });
        record.status = answer.status;
        return { status: answer.status === 200 ? 200 : 502, headers: { "content-type": "application/json" }, body: answer.body };
      }
      const run = target(req.body, { invokeType: "detached", requestId: req.requestId }).then(
        (answer) => {
          record.status = answer.status;
        },
        (err: unknown) => {
          record.error = err instanceof Error ? err.message : String(err);
        },
      );
      const tracked = run.finally(() => running.delete(tracked));
      running.add(tracked);
      return { status: 202 };
    };

    const routes: RouteDef[] = [
      {
        method: "POST",
        pattern: "/20181201/functions/:functionId/actions/invoke",
        name: "functions.invokeFunction",
        handler: invoke,
        bodySigned: true,
      },
    ];
    return {
      name: "functions",
      routes: () => routes,
      adminRoutes: () => [
        {
          method: "GET",
          pattern: "/invocations",
          name: "functions.admin.invocations",
          handler: () => ({ status: 200, body: { items: records } }),
        },
      ],
      register: (functionId, target) => void targets.set(functionId, target),
      unregister: (functionId) => void targets.delete(functionId),
      invocations: (functionId) => records.filter((r) => functionId === undefined || r.functionId === functionId),
      async settled() {
        while (running.size > 0) await Promise.allSettled([...running]);
      },
      async close() {
        await Promise.allSettled([...running]);
      },
    };
  };
}
