/**
 * `poll`: sweeps the watched platforms (`AIDP_WATCH_PLATFORM_IDS` and the
 * ACTIVE platforms of `AIDP_WATCH_COMPARTMENT_IDS`), invoked on a schedule.
 * `{"doctor": true}` asks for the `aidp-watch doctor` report instead, checked
 * with the function's own configuration and resource principal
 * (functions/doctor/run-doctor.ts); nothing is swept. Otherwise the body is
 * ignored (schedulers send various bodies) unless it names a shard, `{"shard": i, "of": n}`: then only that shard's platforms are swept.
 * With `AIDP_WATCH_SHARDS` > 1 a call without a shard fans out instead
 * (fan-out.ts) and answers with what it invoked. While a sweep leaves
 * operations in progress, it sweeps again every
 * `AIDP_WATCH_SWEEP_INTERVAL_SECONDS` until the work deadline
 * (`shared/watch/sweep-loop.ts`); an idle platform gets one sweep.
 *
 * The answer is one summary for the invocation: `sweeps` made and why the
 * loop stopped (`loopExit`: idle, deadline, once), `calls` per service
 * (aidp, objectStorage, notifications) of the sweeps, discovered, tracked,
 * changed, published, failed, durationMs, complete, per-platform details of
 * the last sweep; `watched` (how many platforms, the shard, what discovery
 * listed and skipped); `deadlineReached` and `notStarted` when the work
 * deadline cut the work short (what was done is saved; the next sweep
 * resumes) — plus `exports`, the automatic export discovery report, when
 * `AIDP_WATCH_EXPORT_WORKSPACES` is set. Discovery runs once, after the
 * first sweep (announcing terminal states comes first), before the loop goes
 * on: a loop that runs to the deadline would otherwise never leave it time.
 */
import type { Config } from "../../shared/config/config-schema.js";
import { inShard, type Shard } from "../../shared/watch/shard.js";
import type { StepHooks } from "../../shared/watch/step-hooks.js";
import { runSweep } from "../../shared/watch/sweep.js";
import { combineSweeps, runSweepLoop } from "../../shared/watch/sweep-loop.js";
import { countCalls } from "../call-counter.js";
import type { runConfiguredExportDiscovery } from "../export/discovery-hook.js";
import type { FunctionHandler, Invocation } from "../invocation.js";
import { defaultServices } from "../default-services.js";
import type { Services } from "../services.js";
import { sweepDeps, sweepSettings } from "../watch-setup.js";
import { fanOut, planPoll } from "./fan-out.js";
import { parseDoctorRequest } from "./doctor-request.js";
import { parsePollRequest } from "./poll-request.js";
import { watchedPlatforms } from "./watched-platforms.js";

export interface PollOptions {
  /** Adapters; default: built from configuration once per container. */
  readonly services?: (invocation: Invocation) => Promise<Services>;
  readonly hooks?: StepHooks;
  /** One sweep whatever the interval (`aidp-watch sweep --once`). */
  readonly once?: boolean;
  /** What a doctor request reads its configuration and credentials from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function createPollHandler(options: PollOptions = {}): FunctionHandler {
  return async (input, invocation) => {
    const doctor = parseDoctorRequest(input);
    if (doctor) {
      const env = options.env ?? process.env;
      const from = `function ${env.FN_FN_NAME ?? env.FN_NAME ?? "poll"}`;
      // Imported here: the doctor builds its own clients (oci-common, SDK), which a sweep gets from the services.
      const { runDoctor } = await import("../doctor/run-doctor.js");
      return {
        ...(await runDoctor({
          env,
          publishTest: doctor.publishTest,
          deadline: invocation.workDeadline,
          logger: invocation.logger,
          clock: invocation.clock,
          from,
        })),
      };
    }
    const plan = planPoll(parsePollRequest(input), invocation.config, invocation.functionId);
    const services = await (options.services ?? defaultServices)(invocation);
    if (plan.kind === "fan-out") return { ...(await fanOut(services.functionInvoker, invocation, plan)) };

    const started = invocation.clock.now();
    const watched = await watchedPlatforms(services.platformDirectory, invocation, plan.shard);
    const counted = countCalls(services);
    const deps = sweepDeps(counted.services, invocation, options.hooks);
    const settings = { ...sweepSettings(invocation.config), platformIds: watched.ids };
    const deadlines = { work: invocation.workDeadline, hard: invocation.hardDeadline };
    const exportInvocation = { ...invocation, config: exportDiscoveryConfig(invocation.config, watched.ids, plan.shard) };
    let exports: Awaited<ReturnType<typeof runConfiguredExportDiscovery>>;
    const loop = await runSweepLoop({
      sweep: () => runSweep(deps, settings, deadlines),
      clock: invocation.clock,
      deadline: invocation.workDeadline,
      intervalMs: options.once ? 0 : invocation.config.AIDP_WATCH_SWEEP_INTERVAL_SECONDS * 1000,
      onSweep: async (summary, i) => {
        if (summary.failed > 0)
          invocation.logger.warn("sweep finished with failures; the next sweep retries them", { sweep: i + 1, failed: summary.failed });
        if (i === 0 && !invocation.workDeadline.expired && invocation.config.AIDP_WATCH_EXPORT_WORKSPACES.length > 0) {
          // Imported only when configured: it brings the export code (decoders, viewer), which a plain sweep never runs.
          const { runConfiguredExportDiscovery } = await import("../export/discovery-hook.js");
          exports = await runConfiguredExportDiscovery(services, exportInvocation);
        }
      },
    });
    const summary = combineSweeps(loop, invocation.clock.now() - started);
    const notStarted = summary.platforms.filter((p) => p.error?.startsWith("not started")).length;
    const deadlineReached = invocation.workDeadline.expired && !summary.complete;
    if (deadlineReached) {
      invocation.logger.warn("work deadline reached: what was done is saved, the next sweep resumes", {
        notStarted,
        platforms: watched.ids.length,
        shard: watched.report.shard,
      });
    }
    invocation.logger.info("poll finished", { sweeps: summary.sweeps, loopExit: summary.loopExit, calls: { ...counted.counts } });
    return {
      ...summary,
      failed: summary.failed + (watched.discoveryFailed ? 1 : 0),
      complete: summary.complete && !watched.discoveryFailed,
      calls: { ...counted.counts },
      watched: watched.report,
      ...(deadlineReached ? { deadlineReached, notStarted } : {}),
      ...(exports ? { exports } : {}),
    };
  };
}

/**
 * Export discovery follows the sweep's platforms: `workspaceKey` entries apply
 * to every platform this call watches (discovered ones too), and a sharded
 * call takes only the `platform/workspaceKey` entries of its own shard, so
 * shards don't repeat each other's work.
 */
function exportDiscoveryConfig(config: Config, platformIds: string[], shard: Shard | undefined): Config {
  const workspaces = config.AIDP_WATCH_EXPORT_WORKSPACES.filter((entry) => {
    const slash = entry.indexOf("/");
    return slash === -1 || inShard(entry.slice(0, slash), shard);
  });
  return { ...config, AIDP_WATCH_PLATFORM_IDS: platformIds, AIDP_WATCH_EXPORT_WORKSPACES: workspaces };
}

export const pollHandler: FunctionHandler = createPollHandler();
