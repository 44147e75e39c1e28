/**
 * The local stand-in for OCI Events (or a CI step) calling the functions:
 * - an async operation that appears on a watched platform → one `track` call
 *   `{ aiDataPlatformId, asyncOperationKey }`;
 * - a job run that finishes → one `export` call per task run
 *   `{ aiDataPlatformId, workspaceKey, taskRunKey }`.
 * Operations are observed through the emulator's admin API (so operations
 * added by hand with the CLI count too); job runs are the ones the stack
 * seeded. Every observed operation state is also reported (`onOperation`) for
 * the console.
 */
import { z } from "zod";
import type { Clock } from "../shared/time/clock.js";
import type { DeliveryQueue } from "./delivery-queue.js";
import type { SeededJobRun } from "./demo-scenario.js";

const AdminOperationSchema = z.looseObject({
  key: z.string(),
  actionType: z.string(),
  resourceName: z.string(),
  status: z.string(),
  errorCode: z.string().optional(),
  emulatorVisible: z.boolean().optional(),
});
const AdminOperationListSchema = z.object({ items: z.array(AdminOperationSchema) });
export type ObservedOperation = z.infer<typeof AdminOperationSchema> & { platformId: string };

export interface TrackInput {
  readonly aiDataPlatformId: string;
  readonly asyncOperationKey: string;
}
export interface ExportInput {
  readonly aiDataPlatformId: string;
  readonly workspaceKey: string;
  readonly taskRunKey: string;
}

export interface EmulatorEventsOptions {
  readonly emulatorUrl: string;
  readonly platformIds: readonly string[];
  readonly jobRuns: () => readonly SeededJobRun[];
  /** The emulator's clock (job runs end by it). */
  readonly clock: Clock;
  readonly queue: DeliveryQueue;
  readonly track: (input: TrackInput) => Promise<void>;
  readonly export: (input: ExportInput) => Promise<void>;
  readonly onOperation?: (op: ObservedOperation) => void;
  readonly onError?: (error: unknown) => void;
  /** @default 250 */
  readonly intervalMs?: number;
}

export class EmulatorEvents {
  private readonly tracked = new Set<string>();
  private readonly exported = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  trackCalls = 0;
  exportCalls = 0;

  constructor(private readonly options: EmulatorEventsOptions) {}

  start(): void {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.scan()
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs ?? 250);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One look at the emulator: new operations → track, finished job runs → export. */
  async scan(): Promise<void> {
    for (const platformId of this.options.platformIds) {
      for (const op of await this.listOperations(platformId)) {
        if (op.emulatorVisible === false) continue;
        this.options.onOperation?.(op);
        const id = `${platformId}/${op.key}`;
        if (this.tracked.has(id)) continue;
        this.tracked.add(id);
        this.trackCalls++;
        const input: TrackInput = { aiDataPlatformId: platformId, asyncOperationKey: op.key };
        this.options.queue.push(`track ${op.key}`, () => this.options.track(input));
      }
    }
    const now = this.options.clock.now();
    for (const run of this.options.jobRuns()) {
      if (now < run.endsAt || this.exported.has(`${run.platformId}/${run.key}`)) continue;
      this.exported.add(`${run.platformId}/${run.key}`);
      for (const t of run.taskRuns) {
        this.exportCalls++;
        const input: ExportInput = { aiDataPlatformId: run.platformId, workspaceKey: run.workspaceKey, taskRunKey: t.key };
        this.options.queue.push(`export ${t.key}`, () => this.options.export(input));
      }
    }
  }

  private async listOperations(platformId: string): Promise<ObservedOperation[]> {
    const res = await fetch(`${this.options.emulatorUrl}/_emulator/aidp/platforms/${encodeURIComponent(platformId)}/asyncOperations`);
    if (res.status === 404) {
      await res.arrayBuffer();
      return [];
    }
    const parsed = AdminOperationListSchema.parse(await res.json());
    return parsed.items.map((op) => ({ ...op, platformId }));
  }
}
