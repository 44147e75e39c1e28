/**
 * The decision at the top of `poll`, and the fan-out itself. With
 * `AIDP_WATCH_SHARDS` = n > 1, a scheduled call (no shard in its body)
 * invokes n detached `poll` calls of this same function, `{"shard": i, "of": n}`,
 * through the OCI Functions invoke API and returns: OCI Functions runs them in
 * parallel on containers of its own; nothing of ours schedules work. A call
 * with a shard sweeps that shard. Without a function OCID (the CLI, a direct
 * local run) there is nothing to invoke: the call sweeps every platform.
 */
import type { Config } from "../../shared/config/config-schema.js";
import { ConfigError } from "../../shared/config/load-config.js";
import { forEachBounded } from "../../shared/concurrency/semaphore.js";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import type { FunctionInvoker } from "../../shared/oci/function-invoker.js";
import type { Shard } from "../../shared/watch/shard.js";
import type { Invocation } from "../invocation.js";
import type { PollRequest } from "./poll-request.js";

export type PollPlan =
  | { readonly kind: "fan-out"; readonly of: number; readonly functionId: string }
  | { readonly kind: "sweep"; readonly shard: Shard | undefined };

export function planPoll(request: PollRequest, config: Config, functionId: string | undefined): PollPlan {
  if (request.shard) return { kind: "sweep", shard: request.shard };
  if (config.AIDP_WATCH_SHARDS > 1 && functionId) return { kind: "fan-out", of: config.AIDP_WATCH_SHARDS, functionId };
  return { kind: "sweep", shard: undefined };
}

/** Parallel invoke requests (each is one short API call). */
const INVOKE_CONCURRENCY = 8;

export interface ShardInvocation {
  readonly shard: number;
  readonly opcRequestId?: string;
  readonly error?: string;
}

export interface FanOutSummary {
  readonly fanOut: { readonly functionId: string; readonly of: number; readonly invoked: number; readonly shards: ShardInvocation[] };
  readonly failed: number;
  readonly complete: boolean;
  readonly durationMs: number;
}

export async function fanOut(
  invoker: FunctionInvoker | undefined,
  invocation: Invocation,
  plan: { of: number; functionId: string },
): Promise<FanOutSummary> {
  const { config, clock, logger } = invocation;
  if (!config.AIDP_WATCH_INVOKE_ENDPOINT || !invoker) {
    throw new ConfigError(
      `AIDP_WATCH_SHARDS=${plan.of} needs AIDP_WATCH_INVOKE_ENDPOINT (this function's invoke endpoint) to invoke the shards`,
      ["AIDP_WATCH_INVOKE_ENDPOINT: required when AIDP_WATCH_SHARDS > 1"],
    );
  }
  const started = clock.now();
  const indexes = Array.from({ length: plan.of }, (_, i) => i);
  const results = await forEachBounded(
    indexes,
    INVOKE_CONCURRENCY,
    (i) => invoker.invokeDetached(plan.functionId, { shard: i, of: plan.of }, { deadline: invocation.workDeadline }),
    () => !invocation.workDeadline.expired,
  );
  const shards: ShardInvocation[] = results.map((r, i) => {
    if (r.started && r.ok) return { shard: i, ...(r.value.opcRequestId ? { opcRequestId: r.value.opcRequestId } : {}) };
    const error = r.started && !r.ok ? describeError(r.error) : "not started: work deadline reached";
    return { shard: i, error };
  });
  const failed = shards.filter((s) => s.error !== undefined).length;
  if (failed > 0) logger.warn("some shards could not be invoked; the next scheduled poll invokes them again", { failed, of: plan.of });
  return {
    fanOut: { functionId: plan.functionId, of: plan.of, invoked: plan.of - failed, shards },
    failed,
    complete: failed === 0,
    durationMs: clock.now() - started,
  };
}
