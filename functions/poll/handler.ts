import type { SweepHooks } from "../../shared/watch/sweep-hooks.js";
import { runSweep } from "../../shared/watch/sweep.js";
import { runConfiguredExportDiscovery } from "../export/discovery-hook.js";
import type { FunctionHandler, Invocation } from "../invocation.js";
import { defaultServices, type WatchServices } from "../services.js";
import { sweepDeps, sweepSettings } from "../watch-setup.js";

/**
 * `poll`: one sweep over every platform in `AIDP_WATCH_PLATFORM_IDS`, invoked
 * on a schedule. The input is ignored (schedulers send various bodies). The
 * answer is the sweep summary: discovered, tracked, changed, published,
 * failed, durationMs, complete, and per-platform details — plus `exports`,
 * the automatic export discovery report, when `AIDP_WATCH_EXPORT_WORKSPACES`
 * is set. Discovery runs after the sweep, with what is left of the work
 * deadline: announcing terminal states comes first.
 */
export interface PollOptions {
  /** Adapters; default: built from configuration once per container. */
  readonly services?: (invocation: Invocation) => Promise<WatchServices>;
  readonly hooks?: SweepHooks;
}

export function createPollHandler(options: PollOptions = {}): FunctionHandler {
  return async (_input, invocation) => {
    const services = await (options.services ?? defaultServices)(invocation);
    const summary = await runSweep(sweepDeps(services, invocation, options.hooks), sweepSettings(invocation.config), {
      work: invocation.workDeadline,
      hard: invocation.hardDeadline,
    });
    if (summary.failed > 0) invocation.logger.warn("sweep finished with failures; the next sweep retries them", { failed: summary.failed });
    const exports = invocation.workDeadline.expired ? undefined : await runConfiguredExportDiscovery(services, invocation);
    return { ...summary, ...(exports ? { exports } : {}) };
  };
}

export const pollHandler: FunctionHandler = createPollHandler();
