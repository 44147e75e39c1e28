import type { SweepHooks } from "../../shared/watch/sweep-hooks.js";
import { runSweep } from "../../shared/watch/sweep.js";
import { combineSweeps, runSweepLoop } from "../../shared/watch/sweep-loop.js";
import { countCalls } from "../call-counter.js";
import { runConfiguredExportDiscovery } from "../export/discovery-hook.js";
import type { FunctionHandler, Invocation } from "../invocation.js";
import { defaultServices, type WatchServices } from "../services.js";
import { sweepDeps, sweepSettings } from "../watch-setup.js";

/**
 * `poll`: sweeps every platform in `AIDP_WATCH_PLATFORM_IDS`, invoked on a
 * schedule. The input is ignored (schedulers send various bodies). While a
 * sweep leaves operations in progress, it sweeps again every
 * `AIDP_WATCH_SWEEP_INTERVAL_SECONDS` until the work deadline
 * (`shared/watch/sweep-loop.ts`); an idle platform gets one sweep.
 *
 * The answer is one summary for the invocation: `sweeps` made and why the
 * loop stopped (`loopExit`: idle, deadline, once), `calls` per service
 * (aidp, objectStorage, notifications) of the sweeps, discovered, tracked,
 * changed, published, failed, durationMs, complete, per-platform details of
 * the last sweep — plus `exports`, the automatic export discovery report,
 * when `AIDP_WATCH_EXPORT_WORKSPACES` is set. Discovery runs once, after the
 * first sweep (announcing terminal states comes first), before the loop goes
 * on: a loop that runs to the deadline would otherwise never leave it time.
 */
export interface PollOptions {
  /** Adapters; default: built from configuration once per container. */
  readonly services?: (invocation: Invocation) => Promise<WatchServices>;
  readonly hooks?: SweepHooks;
  /** One sweep whatever the interval (`aidp-watch sweep --once`). */
  readonly once?: boolean;
}

export function createPollHandler(options: PollOptions = {}): FunctionHandler {
  return async (_input, invocation) => {
    const services = await (options.services ?? defaultServices)(invocation);
    const started = invocation.clock.now();
    const counted = countCalls(services);
    const deps = sweepDeps(counted.services, invocation, options.hooks);
    const settings = sweepSettings(invocation.config);
    const deadlines = { work: invocation.workDeadline, hard: invocation.hardDeadline };
    let exports: Awaited<ReturnType<typeof runConfiguredExportDiscovery>>;
    const loop = await runSweepLoop({
      sweep: () => runSweep(deps, settings, deadlines),
      clock: invocation.clock,
      deadline: invocation.workDeadline,
      intervalMs: options.once ? 0 : invocation.config.AIDP_WATCH_SWEEP_INTERVAL_SECONDS * 1000,
      onSweep: async (summary, i) => {
        if (summary.failed > 0) invocation.logger.warn("sweep finished with failures; the next sweep retries them", { sweep: i + 1, failed: summary.failed });
        if (i === 0 && !invocation.workDeadline.expired) exports = await runConfiguredExportDiscovery(services, invocation);
      },
    });
    const summary = combineSweeps(loop, invocation.clock.now() - started);
    invocation.logger.info("poll finished", { sweeps: summary.sweeps, loopExit: summary.loopExit, calls: { ...counted.counts } });
    return { ...summary, calls: { ...counted.counts }, ...(exports ? { exports } : {}) };
  };
}

export const pollHandler: FunctionHandler = createPollHandler();
