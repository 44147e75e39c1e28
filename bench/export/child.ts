import { readFileSync } from "node:fs";
/**
 * Runs one export in its own process and prints `{ ms, maxRssBytes, outcome }`
 * as one JSON line, so the exporter's peak memory is measured without the
 * emulator's (which holds every object in memory). Used by `bench/export.ts`
 * and by the 100 MB integration test.
 *
 * Usage: node --import tsx bench/export/child.ts '<json ChildArgs>'
 */
import { z } from "zod";
import { AidpClient } from "../../shared/aidp/aidp-client.js";
import { createAuthProvider } from "../../shared/auth/create-auth-provider.js";
import { exportTaskRun } from "../../shared/export/export-task-run.js";
import { retryPolicy } from "../../shared/http/retry-policy.js";
import { createObjectStorageClient } from "../../shared/oci/clients.js";
import { OciObjectStore } from "../../shared/storage/oci-object-store.js";
import { Deadline } from "../../shared/time/deadline.js";

export const ChildArgsSchema = z.strictObject({
  endpoint: z.string(),
  configFile: z.string(),
  namespace: z.string(),
  bucket: z.string(),
  platformId: z.string(),
  workspaceKey: z.string(),
  taskRunKey: z.string(),
  prefix: z.string().default("outputs"),
  timeoutMs: z.number().int().positive().default(600_000),
});
export type ChildArgs = z.input<typeof ChildArgsSchema>;

export interface ChildResult {
  readonly ms: number;
  readonly maxRssBytes: number;
  readonly outcome: Record<string, unknown>;
  /** `process.memoryUsage()` at the sample with the highest RSS (sampled every 20 ms during the export): where the peak comes from. */
  readonly atPeak?: MemorySample;
}

export interface MemorySample {
  /** ms since the export started. */
  readonly atMs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

async function main(): Promise<void> {
  const args = ChildArgsSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
  const provider = await createAuthProvider({ configFile: args.configFile, env: {} });
  const policy = retryPolicy({ baseDelayMs: 20, maxDelayMs: 200, attemptTimeoutMs: 120_000 });
  const aidp = new AidpClient({ provider, endpoint: args.endpoint, retryPolicy: policy });
  const osClient = await createObjectStorageClient({ provider, objectStorageEndpoint: args.endpoint });
  const store = new OciObjectStore({ client: osClient, namespace: args.namespace, bucket: args.bucket, retryPolicy: policy });
  const started = performance.now();
  let atPeak: MemorySample | undefined;
  // A timer: it fires between the export's awaits (every chunk is an await), often enough to catch the peak's makeup.
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (atPeak === undefined || m.rss > atPeak.rss) {
      atPeak = {
        atMs: Math.round(performance.now() - started),
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
      };
    }
  }, 20);
  const outcome = await exportTaskRun(
    { aidp, store },
    { prefix: args.prefix, limits: { maxDecodedBytes: 1024 ** 3, maxExpansionRatio: 1000 } },
    { platformId: args.platformId, workspaceKey: args.workspaceKey, taskRunKey: args.taskRunKey },
    { deadline: Deadline.in(args.timeoutMs) },
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  osClient.close();
  const result: ChildResult = {
    ms: Math.round(ms),
    maxRssBytes: ownPeakRssBytes(),
    outcome: { ...outcome },
    ...(atPeak ? { atPeak } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * This process's own peak RSS. Linux: VmHWM from /proc/self/status, which
 * starts afresh at exec. Not `process.resourceUsage().maxRSS`: getrusage's
 * maxrss survives fork + exec, so a child of a large parent (a test runner
 * holding a 100 MB object in its emulator) would report the parent's peak.
 */
function ownPeakRssBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

main().catch((err: unknown) => {
  process.stderr.write(`export-child failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  process.exitCode = 1;
});
