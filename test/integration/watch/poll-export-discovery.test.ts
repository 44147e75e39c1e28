import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUCKET, NAMESPACE, PLATFORM, startWatchStack, TOPIC, type WatchStack } from "./watch-emulator.js";

// The sweep also archives the outputs of finished job runs in the configured
// workspaces (automatic export discovery), after announcing terminal states.
describe("poll with export discovery", () => {
  let stack: WatchStack;
  const WS = "ws-discovery";

  beforeAll(async () => {
    stack = await startWatchStack({
      env: { AIDP_WATCH_EXPORT_WORKSPACES: WS, AIDP_WATCH_OUTPUT_BUCKET: BUCKET, AIDP_WATCH_OUTPUT_PREFIX: "archive" },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("announces operations and archives a finished job run's task-run output in the same sweep, once", async () => {
    const value = Buffer.from("hello from a task run\n").toString("base64");
    const { key: jobRunKey, taskRunKeys } = stack.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "nightly",
      durationMs: 1_000,
      tasks: [{ name: "report", output: { data: [{ type: "TEXT_PLAIN", isBase64: true, value }], version: 3 } }],
    });
    stack.aidp.addOperation(PLATFORM, {
      resourceType: "TABLE",
      actionType: "CREATE_TABLE",
      resourceName: "sales.q3.orders",
      durationMs: 500,
    });
    await stack.poll(); // first sweep: sets the operation watermark, sees the op running
    stack.clock.advance(5_000);

    const summary = (await stack.poll()) as unknown as {
      published: number;
      exports?: { workspaces: Array<{ taskRunsExported: number; failures: unknown[] }> };
    };
    expect(summary.published).toBe(1);
    const report = summary.exports?.workspaces[0];
    expect(report?.failures).toEqual([]);
    expect((summary.exports?.workspaces ?? []).reduce((n, w) => n + w.taskRunsExported, 0)).toBe(1);

    const names = stack.os.listObjectNames(BUCKET, `archive/${PLATFORM}/${WS}/${taskRunKeys[0]}/`);
    expect(names.some((n) => n.endsWith("/manifest.json"))).toBe(true);
    const part = names.find((n) => n.endsWith(".txt"));
    expect(part && stack.os.getObject(BUCKET, part)?.body.toString()).toBe("hello from a task run\n");

    // The job run's terminal state is announced once, linking to the archived manifest.
    const manifest = names.find((n) => n.endsWith("/manifest.json"))!;
    const jobRunMessages = () => stack.ons.messages(TOPIC).filter((m) => m.body.includes(`jobrun:${jobRunKey}/`));
    expect(jobRunMessages()).toHaveLength(1);
    const message = jobRunMessages()[0]!;
    expect(message.title).toMatch(/^SUCCESS · JOB_RUN · /);
    expect(message.body).toContain(`manifest: oci://${BUCKET}@${NAMESPACE}/${manifest}`);
    expect(message.body).toContain(`Job run:       ${jobRunKey}`);
    expect(report).toMatchObject({ jobRunsDone: 1, jobRunsAnnounced: 1, jobRunAnnouncementsPending: 0 });

    // The next sweep exports nothing again, and announces nothing again.
    const again = (await stack.poll()) as unknown as {
      exports?: { workspaces: Array<{ taskRunsExported: number; jobRunsAnnounced: number }> };
    };
    expect((again.exports?.workspaces ?? []).reduce((n, w) => n + w.taskRunsExported, 0)).toBe(0);
    expect((again.exports?.workspaces ?? []).reduce((n, w) => n + w.jobRunsAnnounced, 0)).toBe(0);
    expect(jobRunMessages()).toHaveLength(1);
    expect(stack.announcedKeys().filter((k) => k.includes("jobrun:"))).toEqual([`${PLATFORM}/jobrun:${jobRunKey}/SUCCESS`]);
  });

  it("announces a job run on the next sweep when its publish failed, exactly once", async () => {
    const value = Buffer.from("second run\n").toString("base64");
    const { key: jobRunKey, taskRunKeys } = stack.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "hourly",
      durationMs: 1_000,
      tasks: [{ name: "extract", output: { data: [{ type: "TEXT_PLAIN", isBase64: true, value }] } }],
    });
    stack.clock.advance(5_000);
    const jobRunMessages = () => stack.ons.messages(TOPIC).filter((m) => m.body.includes(`jobrun:${jobRunKey}/`));
    type Report = {
      exports?: {
        workspaces: Array<{ taskRunsExported: number; jobRunsDone: number; jobRunsAnnounced: number; jobRunAnnouncementsPending: number }>;
      };
    };

    stack.emu.faults.add({ route: "ons.publishMessage", status: 500, times: 1 });
    const failed = ((await stack.poll()) as unknown as Report).exports?.workspaces[0];
    // Archived, but not done: the announcement holds the watermark.
    expect(failed).toMatchObject({ taskRunsExported: 1, jobRunsDone: 0, jobRunsAnnounced: 0, jobRunAnnouncementsPending: 1 });
    expect(jobRunMessages()).toHaveLength(0);
    // The failed publish gave its claim back.
    expect(stack.os.listObjectNames(BUCKET, `aidp-watch/announcements/${PLATFORM}/${encodeURIComponent(`jobrun:${jobRunKey}`)}/`)).toEqual(
      [],
    );

    const retried = ((await stack.poll()) as unknown as Report).exports?.workspaces[0];
    expect(retried).toMatchObject({ taskRunsExported: 0, jobRunsDone: 1, jobRunsAnnounced: 1, jobRunAnnouncementsPending: 0 });
    expect(jobRunMessages()).toHaveLength(1);
    const manifest = stack.os
      .listObjectNames(BUCKET, `archive/${PLATFORM}/${WS}/${taskRunKeys[0]}/`)
      .find((n) => n.endsWith("/manifest.json"))!;
    expect(jobRunMessages()[0]!.body).toContain(`oci://${BUCKET}@${NAMESPACE}/${manifest}`);

    await stack.poll();
    expect(jobRunMessages()).toHaveLength(1);
  });
});
