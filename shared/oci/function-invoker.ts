/**
 * Detached invocations of an OCI function through the Functions invoke API
 * (the `oci-functions` SDK's `FunctionsInvokeClient`, `fn-invoke-type:
 * detached`): OCI Functions accepts the call (202) and runs it on its own
 * container, so the caller returns at once. A retried invoke may start the
 * same call twice; callers must only send idempotent work (the sweep is).
 */
import type { FunctionsInvokeClient } from "oci-functions";
import { AidpWatchError } from "../errors/aidp-watch-error.js";
import type { Deadline } from "../time/deadline.js";
import { sdkCall } from "./sdk-call.js";
import { toHttpError } from "./to-http-error.js";

export class InvokeError extends AidpWatchError {}

export interface FunctionInvoker {
  invokeDetached(functionId: string, body: unknown, options: { deadline: Deadline }): Promise<{ opcRequestId: string | undefined }>;
}

export class OciFunctionInvoker implements FunctionInvoker {
  constructor(private readonly client: () => Promise<FunctionsInvokeClient>) {}

  async invokeDetached(functionId: string, body: unknown, options: { deadline: Deadline }): Promise<{ opcRequestId: string | undefined }> {
    const client = await this.client();
    try {
      const r = await sdkCall({ operation: "functions.invokeFunction", deadline: options.deadline }, () =>
        client.invokeFunction({
          functionId,
          invokeFunctionBody: JSON.stringify(body),
          fnInvokeType: "detached" as Parameters<FunctionsInvokeClient["invokeFunction"]>[0]["fnInvokeType"],
        }),
      );
      return { opcRequestId: r.opcRequestId || undefined };
    } catch (err) {
      const cause = toHttpError(err, { operation: "functions.invokeFunction" });
      throw new InvokeError(`invoking ${functionId} (detached) failed: ${cause.message}`, {
        cause,
        context: { ...cause.context, functionId },
      });
    }
  }
}
