import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../shared/config/load-config.js";
import { runExportDiscovery } from "../../../shared/export/discovery.js";
import { createLogger } from "../../../shared/log/logger.js";
import { MemorySink } from "../../support/memory-log-sink.js";
import { jobRunTextBody, type JobRunNotice } from "../../../shared/notify/render-job-run.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { FakeClock } from "../../support/fake-clock.js";
import { type ExportHarness, OUT_BUCKET, PLATFORM, STATE_BUCKET, startExportHarness, WS } from "./export-harness.js";

// Job-run notifications link each output's viewer through a pre-authenticated
// request, made with the real oci-objectstorage client against the emulator;
// the link is read without any credentials, reaches that one object only, and
// stops working when it expires.

const H = 3600_000;
const gz = (text: string) => ({
  type: "TEXT_PLAIN",
  isBase64: true,
  compression: "GZIP",
  value: gzipSync(Buffer.from(text)).toString("base64"),
});

describe("viewer links in job-run notifications (pre-authenticated requests)", () => {
  const clock = new FakeClock();
  let h: ExportHarness;
  beforeAll(async () => {
    h = await startExportHarness({ clock });
  });
  afterAll(async () => {
    await h.close();
  });

  const config = loadConfig({
    AIDP_WATCH_PLATFORM_IDS: PLATFORM,
    AIDP_WATCH_EXPORT_WORKSPACES: WS,
    AIDP_WATCH_STATE_BUCKET: STATE_BUCKET,
    AIDP_WATCH_OUTPUT_BUCKET: OUT_BUCKET,
  });

  async function sweepCollecting(viewerLinkHours: number | undefined): Promise<JobRunNotice[]> {
    const notices: JobRunNotice[] = [];
    await runExportDiscovery(
      {
        aidp: h.client,
        outputStore: h.outStore,
        stateStore: h.stateStore,
        outputNamespace: h.os.namespace,
        viewerLinkHours,
        jobRunAnnouncer: {
          announce: async (n) => {
            notices.push(n);
            return "published";
          },
        },
      },
      config,
      { workDeadline: Deadline.in(60_000), logger: createLogger({ level: "warn", sink: new MemorySink() }), clock },
    );
    return notices;
  }

  it("links the viewer read-only, for that one object, until the link expires", async () => {
    h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "linked",
      timeCreated: clock.now() - H,
      tasks: [{ name: "a", output: { data: [gz("hello"), gz("world")] as never } }],
    });
    const [notice] = await sweepCollecting(24);
    const ref = notice!.taskRuns[0]!.manifests[0]!;
    expect(ref.viewerLinkError).toBeUndefined();
    expect(ref.viewerUrl).toMatch(new RegExp(`^${h.emu.url}/p/[^/]+/n/${h.os.namespace}/b/${OUT_BUCKET}/o/`));
    expect(jobRunTextBody(notice!)).toContain(`    viewer:   ${ref.viewerUrl}`);

    // No signature, no credentials: the token is the credential.
    const res = await fetch(ref.viewerUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain("hello");

    // The same token for a sibling (a part, the manifest) is refused.
    const sibling = ref.viewerUrl!.replace(/index\.html$/, "manifest.json");
    expect((await fetch(sibling)).status).toBe(404);
    expect((await fetch(ref.viewerUrl!.replace(/\/p\/[^/]+\//, "/p/forged/"))).status).toBe(404);

    clock.advance(25 * H);
    expect((await fetch(ref.viewerUrl!)).status).toBe(404);
  });

  it("makes no link when links are off (the default)", async () => {
    h.aidp.addJobRun(PLATFORM, WS, {
      jobKey: "unlinked",
      timeCreated: clock.now() - H / 2,
      tasks: [{ name: "a", output: { data: [gz("x")] as never } }],
    });
    const before = h.emu.stats.count("os.createPreauthenticatedRequest");
    const notices = await sweepCollecting(undefined);
    expect(notices.length).toBeGreaterThan(0);
    for (const n of notices) for (const t of n.taskRuns) for (const m of t.manifests) expect(m.viewerUrl).toBeUndefined();
    expect(h.emu.stats.count("os.createPreauthenticatedRequest")).toBe(before);
  });
});
