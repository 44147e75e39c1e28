/**
 * Automatic export discovery as the `poll` sweep runs it, after its own work,
 * with what is left of the invocation's work deadline:
 *
 *   const exports = await runConfiguredExportDiscovery(services, invocation);
 *   return { ...summary, ...(exports ? { exports } : {}) };
 *
 * Returns `undefined` when discovery is off (`AIDP_WATCH_EXPORT_WORKSPACES`
 * empty, the default). Failures of one workspace are in its report entry,
 * never thrown; a configuration that turns discovery on without an output
 * bucket is reported (and logged as an error) instead of breaking the sweep.
 *
 * With a notifier (a topic is configured, as for `poll`), each job run found
 * finished and fully archived is announced once on the topic, with links to
 * its task runs' archived manifests (claims in the state bucket, as for
 * operations: `shared/watch/job-run-announcer.ts`). Without one, nothing is
 * announced.
 */
import type { DiscoveryReport } from "../../shared/export/discovery.js";
import { runExportDiscovery } from "../../shared/export/discovery.js";
import { ClaimStore } from "../../shared/watch/claim-store.js";
import { JobRunAnnouncer } from "../../shared/watch/job-run-announcer.js";
import { StatePaths } from "../../shared/watch/state-paths.js";
import type { Invocation } from "../invocation.js";
import type { Services } from "../services.js";

export type ConfiguredDiscoveryReport = DiscoveryReport | { readonly workspaces: []; readonly error: string };

export async function runConfiguredExportDiscovery(
  services: Pick<Services, "aidp" | "outputStore" | "stateStore"> & Partial<Pick<Services, "notifier" | "namespace">>,
  invocation: Invocation,
): Promise<ConfiguredDiscoveryReport | undefined> {
  const { config } = invocation;
  if (config.AIDP_WATCH_EXPORT_WORKSPACES.length === 0) return undefined;
  if (!services.outputStore) {
    const error = "AIDP_WATCH_EXPORT_WORKSPACES is set but AIDP_WATCH_OUTPUT_BUCKET is not: export discovery skipped";
    invocation.logger.error(error);
    return { workspaces: [], error };
  }
  const jobRunAnnouncer = services.notifier
    ? new JobRunAnnouncer({
        claims: new ClaimStore(services.stateStore, new StatePaths(config.AIDP_WATCH_STATE_PREFIX), invocation.logger),
        notifier: services.notifier,
        render: { format: config.AIDP_WATCH_MESSAGE_FORMAT, displayTimeZone: config.AIDP_WATCH_DISPLAY_TIME_ZONE },
        clock: invocation.clock,
        claimant: invocation.callId,
        logger: invocation.logger,
      })
    : undefined;
  const report = await runExportDiscovery(
    {
      aidp: services.aidp,
      outputStore: services.outputStore,
      stateStore: services.stateStore,
      ...(jobRunAnnouncer ? { jobRunAnnouncer } : {}),
      outputNamespace: services.namespace ?? config.AIDP_WATCH_NAMESPACE,
      viewerLinkHours: config.AIDP_WATCH_VIEWER_LINK_HOURS,
    },
    config,
    invocation,
  );
  const failed = report.workspaces.filter((w) => w.error !== undefined || w.failures.length > 0).length;
  if (failed > 0) invocation.logger.warn("export discovery finished with failures; the next sweep retries them", { workspaces: failed });
  return report;
}
