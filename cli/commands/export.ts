/**
 * `aidp-watch export <platformId> <workspaceKey> <taskRunKey> [--output-key K]
 * --bucket B [--namespace N] [--os-endpoint U] [--prefix P]` archives one task
 * run's output to Object Storage exactly as the `export` function does
 * (docs/output-layout.md) and prints the outcome as JSON. Exit 0 when
 * archived (or already archived), 1 on failure or when a part could not be
 * decoded (it is recorded in the manifest), 2 on bad usage.
 */
import { z } from "zod";
import { AidpClient } from "../../shared/aidp/aidp-client.js";
import { PlatformIdSchema } from "../../shared/aidp/aidp-inputs.js";
import { createAuthProvider } from "../../shared/auth/create-auth-provider.js";
import { loadConfig } from "../../shared/config/load-config.js";
import { exportTaskRun } from "../../shared/export/export-task-run.js";
import { exportSettings } from "../../shared/export/export-settings.js";
import { safeKeySchema } from "../../shared/export/object-key.js";
import { createObjectStorageClient } from "../../shared/oci/clients.js";
import { OciObjectStore } from "../../shared/storage/oci-object-store.js";
import { Deadline } from "../../shared/time/deadline.js";
import type { CliIo } from "../registry.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { COMMON_OPTIONS, COMMON_USAGE, commonOptionsFrom, runCommand, writeJson } from "../options.js";

const USAGE = [
  "usage: aidp-watch export <platformId> <workspaceKey> <taskRunKey> [--output-key K] --bucket B [options]",
  "export options:",
  "  --output-key K      output to archive (default: the task run's output key)",
  "  --bucket B          output bucket (default $AIDP_WATCH_OUTPUT_BUCKET)",
  "  --namespace N       Object Storage namespace (default $AIDP_WATCH_NAMESPACE, else looked up)",
  "  --os-endpoint U     Object Storage endpoint (default $AIDP_WATCH_OBJECT_STORAGE_ENDPOINT, else the region's)",
  "  --prefix P          object name prefix (default $AIDP_WATCH_OUTPUT_PREFIX, else outputs)",
  "  (--timeout defaults to 300 seconds for export)",
  COMMON_USAGE,
].join("\n");

const ExportOptionsSchema = z.object({
  bucket: z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, "--bucket must be a bucket name (letters, digits, . _ -)"),
  namespace: z.string().min(1).optional(),
  osEndpoint: z.url({ protocol: /^https?$/, message: "--os-endpoint must be an http(s) URL" }).optional(),
  prefix: z.string().max(200, "--prefix: at most 200 characters").default("outputs"),
});

export async function runExportCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let partsFailed = false;
  const code = await runCommand(io, USAGE, async () => {
    const { values, positionals, help } = parseCommandLine(args, {
      ...COMMON_OPTIONS,
      "output-key": { type: "string" },
      bucket: { type: "string" },
      namespace: { type: "string" },
      "os-endpoint": { type: "string" },
      prefix: { type: "string" },
    });
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return;
    }
    const common = commonOptionsFrom({ ...values, timeout: values.timeout ?? "300" }, env);
    if (positionals.length !== 3) throw new UsageError("export takes <platformId> <workspaceKey> <taskRunKey>");
    const [platformId, workspaceKey, taskRunKey] = parseOrUsage(
      z.tuple([z.pipe(PlatformIdSchema, safeKeySchema("platformId")), safeKeySchema("workspaceKey"), safeKeySchema("taskRunKey")]),
      positionals,
    );
    const outputKey = parseOrUsage(z.optional(safeKeySchema("outputKey")), values["output-key"]);
    const opts = parseOrUsage(ExportOptionsSchema, {
      bucket: values.bucket ?? (env.AIDP_WATCH_OUTPUT_BUCKET || undefined),
      namespace: values.namespace ?? (env.AIDP_WATCH_NAMESPACE || undefined),
      osEndpoint: values["os-endpoint"] ?? (env.AIDP_WATCH_OBJECT_STORAGE_ENDPOINT || undefined),
      prefix: values.prefix ?? (env.AIDP_WATCH_OUTPUT_PREFIX || undefined),
    });

    const deadline = Deadline.in(common.timeout * 1000);
    const provider = await createAuthProvider({ auth: common.auth, configFile: common.configFile, profile: common.profile, env });
    const client = new AidpClient({ provider, endpoint: common.aidpEndpoint, region: common.region });
    const osClient = await createObjectStorageClient({ provider, region: common.region, objectStorageEndpoint: opts.osEndpoint });
    try {
      const namespace = opts.namespace ?? (await OciObjectStore.resolveNamespace(osClient, deadline));
      const store = new OciObjectStore({ client: osClient, namespace, bucket: opts.bucket });
      // Decode limits: the function's defaults (AIDP_WATCH_MAX_DECODED_BYTES, AIDP_WATCH_MAX_EXPANSION_RATIO).
      const settings = { ...exportSettings(loadConfig({})), prefix: opts.prefix };
      const outcome = await exportTaskRun(
        { aidp: client, store },
        settings,
        { platformId, workspaceKey, taskRunKey, outputKey },
        { deadline },
      );
      writeJson(io, outcome);
      if (outcome.notFound)
        io.stderr.write(
          `aidp-watch: ${outcome.status}: ${outcome.notFound.reason} (opc-request-id ${outcome.notFound.opcRequestId ?? "none"})\n`,
        );
      if (outcome.failedParts > 0) {
        io.stderr.write(`aidp-watch: ${outcome.failedParts} part(s) could not be decoded; see the manifest ${outcome.manifest}\n`);
        partsFailed = true;
      }
    } finally {
      osClient.close();
    }
  });
  return code === 0 && partsFailed ? 1 : code;
}
