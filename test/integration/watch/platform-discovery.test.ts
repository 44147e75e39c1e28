import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_COMPARTMENT_ID } from "../../../emulator/services/aidp/index.js";
import { AidpControlPlane } from "../../../shared/aidp/control-plane.js";
import { createAuthProvider } from "../../../shared/auth/create-auth-provider.js";
import { createOciClients } from "../../../shared/oci/clients.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { op, PLATFORM, startWatchStack, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;
const C1 = "ocid1.compartment.oc1..teamone";
const C2 = "ocid1.compartment.oc1..teamtwo";
const pid = (name: string) => `ocid1.aidataplatform.oc1.iad.${name}`;

let stack: WatchStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type PollResult = Awaited<ReturnType<WatchStack["poll"]>> & {
  watched: {
    platforms: number;
    total: number;
    shard?: string;
    discovery?: { listed: number; skipped: Array<{ id: string; reason: string }>; cached: boolean; error?: string };
  };
};
const swept = (r: PollResult) => r.platforms.map((p) => p.platformId).sort();

describe("platforms discovered by compartment (AIDP control plane)", () => {
  it("sweeps the ACTIVE platforms of the compartments with the listed ones, skipping aidp-watch=off, other states and other compartments", async () => {
    stack = await startWatchStack({ env: { AIDP_WATCH_COMPARTMENT_IDS: C1 }, platformListTtlMs: 0 });
    const s = stack;
    s.aidp.addPlatform(pid("active"), { compartmentId: C1 });
    s.aidp.addPlatform(pid("optedout"), { compartmentId: C1, freeformTags: { team: "x", "aidp-watch": "off" } });
    s.aidp.addPlatform(pid("shouting"), { compartmentId: C1, freeformTags: { "AIDP-Watch": " OFF " } });
    s.aidp.addPlatform(pid("tagon"), { compartmentId: C1, freeformTags: { "aidp-watch": "on" } });
    for (const state of ["DELETED", "FAILED", "CREATING", "UPDATING", "DELETING", "SOMETHING_NEW"])
      s.aidp.addPlatform(pid(state.toLowerCase()), { compartmentId: C1, lifecycleState: state });
    s.aidp.addPlatform(pid("elsewhere"), { compartmentId: C2 });
    // History of the newly found platform: finished before it was ever swept.
    s.aidp.addOperation(pid("active"), op({ durationMs: 10_000, timeStarted: s.clock.now() - 10 * MINUTE }));
    const running = s.aidp.addOperation(pid("active"), op({ durationMs: 2 * MINUTE })).key;

    const first = (await s.poll()) as PollResult;
    expect(swept(first)).toEqual([PLATFORM, pid("active"), pid("tagon")].sort());
    expect(first.watched.discovery?.skipped.map((x) => x.id).sort()).toEqual([pid("optedout"), pid("shouting")].sort());
    expect(first.watched.discovery?.skipped[0]?.reason).toBe("tagged aidp-watch=off");
    // New platform: like any first sweep, its running operation is tracked and its history is not announced.
    expect(first).toMatchObject({ published: 0, failed: 0 });
    expect(first.platforms.find((p) => p.platformId === pid("active"))).toMatchObject({ discovered: 1, tracked: 1 });

    await s.clock.advance(3 * MINUTE);
    const second = (await s.poll()) as PollResult;
    expect(second.published).toBe(1);
    expect(s.announcedKeys()).toEqual([`${pid("active")}/${running}/SUCCEEDED`]);

    // Tagged off later, deleted later: no longer swept (the list is re-read, TTL 0 here).
    s.aidp.updatePlatform(pid("active"), { freeformTags: { "aidp-watch": "off" } });
    s.aidp.updatePlatform(pid("tagon"), { lifecycleState: "DELETED" });
    s.aidp.updatePlatform(pid("optedout"), { freeformTags: {} });
    s.aidp.addOperation(pid("optedout"), op({ durationMs: 10_000, timeStarted: s.clock.now() - 5 * MINUTE }));
    const third = (await s.poll()) as PollResult;
    expect(swept(third)).toEqual([PLATFORM, pid("optedout")].sort());
    // The opted-in-again platform starts like a first sweep too: nothing from its past.
    expect(third.published).toBe(0);
  });

  it("keeps the list for the cache time (one listing per compartment)", async () => {
    stack = await startWatchStack({
      env: { AIDP_WATCH_COMPARTMENT_IDS: `${C1},${C2}`, AIDP_WATCH_PLATFORM_IDS: "" },
      platformListTtlMs: 60 * MINUTE,
    });
    const s = stack;
    s.aidp.addPlatform(pid("one"), { compartmentId: C1 });
    s.aidp.addPlatform(pid("two"), { compartmentId: C2 });
    const first = (await s.poll()) as PollResult;
    expect(swept(first)).toEqual([pid("one"), pid("two")].sort());
    expect(s.emu.stats.count("aidp.listAiDataPlatforms")).toBe(2);
    s.aidp.addPlatform(pid("three"), { compartmentId: C1 });
    const second = (await s.poll()) as PollResult;
    expect(second.watched.discovery?.cached).toBe(true);
    expect(swept(second)).toEqual([pid("one"), pid("two")].sort());
    expect(s.emu.stats.count("aidp.listAiDataPlatforms")).toBe(2);
  });

  it("with nothing cached, a failed listing sweeps the explicit platforms and counts as a failure", async () => {
    stack = await startWatchStack({ env: { AIDP_WATCH_COMPARTMENT_IDS: C1 }, platformListTtlMs: 0 });
    const s = stack;
    s.aidp.addPlatform(pid("one"), { compartmentId: C1 });
    s.emu.faults.add({ route: "aidp.listAiDataPlatforms", status: 404 });
    const r = (await s.poll()) as PollResult;
    expect(swept(r)).toEqual([PLATFORM]);
    expect(r.watched.discovery?.error).toMatch(/NotAuthorizedOrNotFound|404/);
    expect(r).toMatchObject({ complete: false });
    expect(r.failed).toBeGreaterThan(0);
  });
});

describe("ListAiDataPlatforms in the emulator, through the oci-aidataplatform client", () => {
  it("lists one compartment, every page, filtered by lifecycle state (case-insensitive), signed", async () => {
    stack = await startWatchStack();
    const s = stack;
    for (let i = 0; i < 7; i++) s.aidp.addPlatform(pid(`p${i}`), { compartmentId: C1 });
    s.aidp.addPlatform(pid("gone"), { compartmentId: C1, lifecycleState: "DELETED" });
    s.aidp.addPlatform(pid("other"), { compartmentId: C2 });
    const provider = await createAuthProvider({ auth: "config_file", env: { OCI_CONFIG_FILE: s.creds.configFile } });
    const clients = createOciClients({ provider, controlPlaneEndpoint: s.emu.url });
    try {
      const cp = new AidpControlPlane(() => clients.aiDataPlatform());
      const before = s.emu.stats.count("aidp.listAiDataPlatforms");
      const active = await cp.listPlatforms(C1, { deadline: Deadline.in(30_000), lifecycleState: "active", pageSize: 3 });
      expect(s.emu.stats.count("aidp.listAiDataPlatforms") - before).toBe(3);
      expect(active.map((p) => p.id).sort()).toEqual(Array.from({ length: 7 }, (_, i) => pid(`p${i}`)).sort());
      expect(active[0]).toMatchObject({ compartmentId: C1, lifecycleState: "ACTIVE", freeformTags: {} });
      const all = await cp.listPlatforms(C1, { deadline: Deadline.in(30_000) });
      expect(all.map((p) => p.id)).toContain(pid("gone"));
      expect(all.map((p) => p.id)).not.toContain(pid("other"));
      // The seeded data-plane platform lives in the emulator's default compartment.
      expect((await cp.listPlatforms(DEFAULT_COMPARTMENT_ID, { deadline: Deadline.in(30_000) })).map((p) => p.id)).toEqual([PLATFORM]);
    } finally {
      clients.close();
    }
    const unsigned = await fetch(`${s.emu.url}/20240831/aiDataPlatforms?compartmentId=${C1}`);
    expect(unsigned.status).toBe(401);
  });
});
