/**
 * `track`: invoked by an OCI Events rule (CloudEvents envelope) or directly
 * (a CI job with the `aidp-async-operation-key` it just received): validates
 * the request (every problem listed, nothing written when invalid), registers
 * each operation write-once, and checks it; while it is in progress, keeps
 * checking it (backing off from 2 s up to `AIDP_WATCH_SWEEP_INTERVAL_SECONDS`)
 * until it ends or the work deadline, and announces it at once. What it cannot
 * see end is left to the sweep. The answer: tracked, published, `checks`
 * (rounds of GETs), `calls` per service, and each operation's last status.
 */
import type { StepHooks } from "../../shared/watch/step-hooks.js";
import { parseTrackRequest } from "../../shared/watch/track-request.js";
import { trackOperations } from "../../shared/watch/track.js";
import { countCalls } from "../call-counter.js";
import type { FunctionHandler, Invocation } from "../invocation.js";
import { defaultServices } from "../default-services.js";
import type { Services } from "../services.js";
import { trackDeps } from "../watch-setup.js";

export interface TrackOptions {
  readonly services?: (invocation: Invocation) => Promise<Services>;
  readonly hooks?: StepHooks;
}

export function createTrackHandler(options: TrackOptions = {}): FunctionHandler {
  return async (input, invocation) => {
    const targets = parseTrackRequest(input);
    const services = await (options.services ?? defaultServices)(invocation);
    const counted = countCalls(services);
    const { results, published, checks } = await trackOperations(targets, trackDeps(counted.services, invocation, options.hooks), {
      work: invocation.workDeadline,
      hard: invocation.hardDeadline,
    });
    return { tracked: results.length, published, checks, calls: { ...counted.counts }, operations: results };
  };
}

export const trackHandler: FunctionHandler = createTrackHandler();
