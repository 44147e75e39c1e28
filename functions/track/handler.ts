import type { SweepHooks } from "../../shared/watch/sweep-hooks.js";
import { parseTrackRequest } from "../../shared/watch/track-request.js";
import { trackOperations } from "../../shared/watch/track.js";
import type { FunctionHandler, Invocation } from "../invocation.js";
import { defaultServices, type WatchServices } from "../services.js";
import { trackDeps } from "../watch-setup.js";

/**
 * `track`: invoked by an OCI Events rule (CloudEvents envelope) or directly
 * (a CI job with the `aidp-async-operation-key` it just received): validates
 * the request (every problem listed, nothing written when invalid), registers
 * each operation write-once, and checks it once so a short operation is
 * announced within seconds.
 */
export interface TrackOptions {
  readonly services?: (invocation: Invocation) => Promise<WatchServices>;
  readonly hooks?: SweepHooks;
}

export function createTrackHandler(options: TrackOptions = {}): FunctionHandler {
  return async (input, invocation) => {
    const targets = parseTrackRequest(input);
    const services = await (options.services ?? defaultServices)(invocation);
    const { results, published } = await trackOperations(targets, trackDeps(services, invocation, options.hooks), {
      work: invocation.workDeadline,
      hard: invocation.hardDeadline,
    });
    return { tracked: results.length, published, operations: results };
  };
}

export const trackHandler: FunctionHandler = createTrackHandler();
