import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKET, PLATFORM, startWatchStack, type WatchStack } from "./watch-emulator.js";

// The sweep also archives the outputs of finished job runs in the configured
// workspaces (automatic export discovery), after announcing terminal states.
describe("poll with export discovery", () => {
  let stack: WatchStack;
  const WS = "ws-discovery";

  beforeAll(async () => {
    stack = await startWatchStack({ env: { AIDP_WATCH_EXPORT_WORKSPACES: WS, AIDP_WATCH_OUTPUT_BUCKET: BUCKET, AIDP_WATCH_OUTPUT_PREFIX: "archive" } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("announces operations and archives a finished job run's task-run output in the same sweep, once", async () => {
    const value = Buffer.from("hello from a task run\n").toString("base64");
    const { taskRunKeys } = stack.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "nightly",
      durationMs: 1_000,
      tasks: [{ name: "report", output: { data: [{ type: "TEXT_PLAIN", isBase64: true, value }], version: 3 } }],
    });
    stack.aidp.addOperation(PLATFORM, { resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: "sales.q3.orders", durationMs: 500 });
    await stack.poll(); // first sweep: sets the operation watermark, sees the op running
    stack.clock.advance(5_000);

    const summary = (await stack.poll()) as unknown as { published: number; exports?: { workspaces: Array<{ taskRunsExported: number; failures: unknown[] }> } };
    expect(summary.published).toBe(1);
    const report = summary.exports?.workspaces[0];
    expect(report?.failures).toEqual([]);
    expect((summary.exports?.workspaces ?? []).reduce((n, w) => n + w.taskRunsExported, 0)).toBe(1);

    const names = stack.os.listObjectNames(BUCKET, `archive/${PLATFORM}/${WS}/${taskRunKeys[0]}/`);
    expect(names.some((n) => n.endsWith("/manifest.json"))).toBe(true);
    const part = names.find((n) => n.endsWith(".txt"));
    expect(part && stack.os.getObject(BUCKET, part)?.body.toString()).toBe("hello from a task run\n");

    // The next sweep exports nothing again.
    const again = (await stack.poll()) as unknown as { exports?: { workspaces: Array<{ taskRunsExported: number }> } };
    expect((again.exports?.workspaces ?? []).reduce((n, w) => n + w.taskRunsExported, 0)).toBe(0);
  });
});
