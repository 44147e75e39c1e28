import { describe, expect, it } from "vitest";
import { InjectedCrash } from "../../../shared/watch/watch-errors.js";
import { PLATFORM, WatchWorld, makeOp } from "../../support/watch-harness.js";

const MINUTE = 60_000;

function finish(world: WatchWorld, key: string, status: string, extra: Record<string, string> = {}) {
  world.memorySource!.update(PLATFORM, key, { status, timeFinished: new Date(world.clock.now()).toISOString(), ...extra });
}

describe("sweep", () => {
  it("discovers operations in progress on the first sweep without announcing history", async () => {
    const w = new WatchWorld();
    const a = makeOp();
    w.memorySource!.put(PLATFORM, a);
    w.memorySource!.put(PLATFORM, makeOp({ status: "SUCCEEDED" }));
    const s = await w.sweep();
    expect(s).toMatchObject({ discovered: 1, tracked: 1, published: 0, failed: 0 });
    expect(w.messages).toHaveLength(0);
  });

  it("fetches only the operations that left the in-progress list and announces each terminal status once", async () => {
    const w = new WatchWorld();
    const ops = ["SUCCEEDED", "FAILED", "CANCELED", "EXPLODED"].map(() => makeOp());
    const stay = makeOp();
    for (const o of [...ops, stay]) w.memorySource!.put(PLATFORM, o);
    await w.sweep();
    await w.clock.advance(MINUTE);
    finish(w, ops[0]!.key, "SUCCEEDED");
    finish(w, ops[1]!.key, "FAILED", { errorCode: "TableExists", errorMessage: "table sales.q3.orders already exists" });
    finish(w, ops[2]!.key, "CANCELED");
    finish(w, ops[3]!.key, "EXPLODED");
    const getsBefore = w.memorySource!.calls.get;
    const s = await w.sweep();
    expect(w.memorySource!.calls.get - getsBefore).toBe(4);
    expect(s).toMatchObject({ changed: 4, published: 4, tracked: 1 });
    expect(w.announcedKeys().sort()).toEqual(
      [`${ops[0]!.key}/SUCCEEDED`, `${ops[1]!.key}/FAILED`, `${ops[2]!.key}/CANCELED`, `${ops[3]!.key}/EXPLODED`]
        .map((k) => `${PLATFORM}/${k}`)
        .sort(),
    );
    const failed = w.messages.find((m) => m.title.startsWith("FAILED"))!;
    expect(failed.title).toBe(`FAILED · CREATE_TABLE · ${ops[1]!.resourceName}`);
    expect(failed.body).toContain("table sales.q3.orders already exists");
    expect(failed.body).toContain("TableExists");

    await w.clock.advance(MINUTE);
    const gets = w.memorySource!.calls.get;
    const again = await w.sweep();
    expect(again.published).toBe(0);
    expect(w.memorySource!.calls.get).toBe(gets);
    expect(w.messages).toHaveLength(4);
  });

  it("catches operations that started and ended between two sweeps", async () => {
    const w = new WatchWorld();
    await w.sweep();
    await w.clock.advance(MINUTE);
    const short = makeOp({ status: "FAILED", timeStartedMs: w.clock.now() - 10_000, errorMessage: "boom" });
    w.memorySource!.put(PLATFORM, short);
    const s = await w.sweep();
    expect(s.published).toBe(1);
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${short.key}/FAILED`]);
    await w.clock.advance(MINUTE);
    await w.sweep();
    await w.clock.advance(10 * MINUTE);
    await w.sweep();
    expect(w.messages).toHaveLength(1);
  });

  it("announces LOST once after the configured number of 404s, then drops it", async () => {
    const w = new WatchWorld();
    const op = makeOp();
    w.memorySource!.put(PLATFORM, op);
    await w.sweep();
    w.memorySource!.remove(PLATFORM, op.key);
    for (let i = 0; i < 5; i++) {
      await w.clock.advance(MINUTE);
      await w.sweep();
    }
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${op.key}/LOST`]);
    expect(w.messages[0]!.body).toContain("404 3 time(s)");
  });

  it("warns once when an operation runs long and gives up once past the maximum age", async () => {
    const w = new WatchWorld();
    const op = makeOp({ timeStartedMs: w.clock.now() });
    w.memorySource!.put(PLATFORM, op);
    await w.sweep();
    await w.clock.advance(121 * MINUTE);
    await w.sweep();
    await w.clock.advance(MINUTE);
    await w.sweep();
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${op.key}/STILL_RUNNING`]);
    await w.clock.advance(72 * 60 * MINUTE);
    await w.sweep();
    await w.clock.advance(MINUTE);
    const last = await w.sweep();
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${op.key}/STILL_RUNNING`, `${PLATFORM}/${op.key}/GAVE_UP`]);
    expect(last.tracked).toBe(0);
  });

  it("leaves an operation pending when publishing fails and announces it on the next sweep", async () => {
    const w = new WatchWorld();
    const op = makeOp();
    w.memorySource!.put(PLATFORM, op);
    await w.sweep();
    finish(w, op.key, "SUCCEEDED");
    (w.notifier as import("../../support/memory-notifier.js").MemoryNotifier).failNext(1);
    const s1 = await w.sweep();
    expect(s1).toMatchObject({ published: 0, failed: 1, tracked: 1 });
    await w.clock.advance(MINUTE);
    const s2 = await w.sweep();
    expect(s2).toMatchObject({ published: 1, tracked: 0 });
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${op.key}/SUCCEEDED`]);
  });

  it("does not track or announce operations excluded by type filters", async () => {
    const w = new WatchWorld({
      filter: {
        statuses: ["FAILED"],
        includeActionTypes: [],
        excludeActionTypes: ["DELETE_TABLE"],
        includeResourceTypes: [],
        excludeResourceTypes: [],
      },
    });
    const del = makeOp({ actionType: "DELETE_TABLE" });
    const ok = makeOp();
    const bad = makeOp();
    for (const o of [del, ok, bad]) w.memorySource!.put(PLATFORM, o);
    const s = await w.sweep();
    expect(s.tracked).toBe(2);
    finish(w, del.key, "FAILED");
    finish(w, ok.key, "SUCCEEDED");
    finish(w, bad.key, "FAILED");
    await w.clock.advance(MINUTE);
    const s2 = await w.sweep();
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${bad.key}/FAILED`]);
    expect(s2.tracked).toBe(0);
  });

  it("keeps a storm within the budget: individual messages, one digest, the rest next minute, none twice", async () => {
    const w = new WatchWorld({ perMinute: 50 });
    const ops = Array.from({ length: 500 }, () => makeOp({ resourceName: "w.c" }));
    for (const o of ops) w.memorySource!.put(PLATFORM, o);
    await w.sweep();
    for (const o of ops) finish(w, o.key, "SUCCEEDED");
    await w.clock.advance(MINUTE);
    const s = await w.sweep();
    expect(s.published).toBe(50);
    expect(w.messages.filter((m) => m.title.startsWith("DIGEST"))).toHaveLength(1);
    let minutes = 0;
    while (w.announcedKeys().length < 500 && minutes < 10) {
      await w.clock.advance(MINUTE);
      await w.sweep();
      minutes++;
    }
    const keys = w.announcedKeys();
    expect(new Set(keys).size).toBe(500);
    expect(keys).toHaveLength(500);
    // Never more than the budget in any minute: each sweep ran in its own minute.
    expect(w.messages.length).toBeLessThanOrEqual(50 * (minutes + 1));
  });

  it("runs two overlapping sweeps without a duplicate", async () => {
    const w = new WatchWorld();
    const ops = Array.from({ length: 20 }, () => makeOp());
    for (const o of ops) w.memorySource!.put(PLATFORM, o);
    await w.sweep();
    ops.forEach((o, i) => {
      finish(w, o.key, i % 2 ? "SUCCEEDED" : "FAILED");
    });
    await w.clock.advance(MINUTE);
    await Promise.all([w.sweep(), w.sweep(), w.sweep()]);
    await w.clock.advance(MINUTE);
    await w.sweep();
    const keys = w.announcedKeys();
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
  });
});

describe("sweep under failures and deadlines", () => {
  it("the watermark's clock-skew margin (catchUpSkewMs) catches an operation whose AIDP start time is behind our clock", async () => {
    const w = new WatchWorld();
    await w.sweep();
    // The second sweep is the first to move the watermark by its listing's start (minus the margin).
    await w.clock.advance(10 * MINUTE);
    const listing = w.clock.now();
    await w.sweep();
    await w.clock.advance(MINUTE);
    // AIDP's clock runs 2 minutes behind ours: the operation reports a start before that listing
    // began, though it was in no listing then. Without the margin the next catch-up starts after it.
    const skewed = makeOp({ status: "SUCCEEDED", timeStartedMs: listing - 2 * MINUTE });
    // Beyond the margin: listed by no catch-up (the one before covered it), never announced.
    const beyond = makeOp({ status: "SUCCEEDED", timeStartedMs: listing - 6 * MINUTE });
    w.memorySource!.put(PLATFORM, skewed);
    w.memorySource!.put(PLATFORM, beyond);
    await w.sweep();
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${skewed.key}/SUCCEEDED`]);
  });

  it("keeps the watermark when a catch-up listing fails, so the next sweep still finds short operations", async () => {
    const w = new WatchWorld();
    await w.sweep();
    await w.clock.advance(30 * MINUTE);
    // Started long before this sweep's listing (further back than the skew margin).
    const short = makeOp({ status: "CANCELED", timeStartedMs: w.clock.now() - 29 * MINUTE });
    w.memorySource!.put(PLATFORM, short);
    w.memorySource!.failLists.CANCELED = 1;
    const s1 = await w.sweep();
    expect(s1.failed).toBeGreaterThan(0);
    expect(w.messages).toHaveLength(0);
    await w.clock.advance(30 * MINUTE);
    await w.sweep();
    expect(w.announcedKeys()).toEqual([`${PLATFORM}/${short.key}/CANCELED`]);
  });

  it("infers nothing from an incomplete in-progress listing", async () => {
    const w = new WatchWorld();
    const op = makeOp();
    w.memorySource!.put(PLATFORM, op);
    await w.sweep();
    w.memorySource!.failLists.IN_PROGRESS = 1;
    const gets = w.memorySource!.calls.get;
    await w.sweep();
    expect(w.memorySource!.calls.get).toBe(gets);
    expect(w.messages).toHaveLength(0);
  });

  it("stops fetching at the work deadline and resumes on the next sweep", async () => {
    const w = new WatchWorld({ aidpConcurrency: 1 });
    const ops = Array.from({ length: 6 }, () => makeOp());
    for (const o of ops) w.memorySource!.put(PLATFORM, o);
    await w.sweep();
    for (const o of ops) finish(w, o.key, "SUCCEEDED");
    let fetches = 0;
    // Each fetch "takes" 2 s of the 10 s budget (5 s reserved): the work deadline stops it after a few.
    const s1 = await w.sweep({
      deadlineMs: 10_000,
      hooks: {
        afterStep: (step) => {
          if (step === "fetch") {
            fetches++;
            void w.clock.advance(2_000);
          }
        },
      },
    });
    expect(fetches).toBeLessThan(6);
    expect(s1.complete).toBe(false);
    await w.clock.advance(MINUTE);
    await w.sweep();
    const keys = w.announcedKeys();
    expect(new Set(keys).size).toBe(6);
    expect(keys).toHaveLength(6);
  });
});

describe("sweep crash injection", () => {
  /** Steps of a sweep that announces two operations (one fetched, one caught up) and merges a registration. */
  async function scenario() {
    const w = new WatchWorld();
    const a = makeOp();
    const regd = makeOp();
    w.memorySource!.put(PLATFORM, a);
    await w.sweep();
    await w.clock.advance(MINUTE);
    finish(w, a.key, "FAILED", { errorMessage: "disk full" });
    const short = makeOp({ status: "SUCCEEDED", timeStartedMs: w.clock.now() - 5000 });
    w.memorySource!.put(PLATFORM, short);
    w.memorySource!.put(PLATFORM, { ...regd, status: "CANCELED" });
    await w.store.put(w.paths.registration(PLATFORM, regd.key), "{}", { ifNoneMatch: "*", deadline: w.deadlines().hard });
    const expected = [`${PLATFORM}/${a.key}/FAILED`, `${PLATFORM}/${short.key}/SUCCEEDED`, `${PLATFORM}/${regd.key}/CANCELED`].sort();
    return { w, expected };
  }

  it("loses nothing and duplicates only when crashing between publish and mark-published", async () => {
    const probe = await scenario();
    const steps: string[] = [];
    await probe.w.sweep({ hooks: { afterStep: (s, d) => steps.push(`${s}:${d ?? ""}`) } });
    expect(probe.w.announcedKeys().sort()).toEqual(probe.expected);
    expect(steps.length).toBeGreaterThan(10);

    for (let crashAt = 0; crashAt < steps.length; crashAt++) {
      const { w, expected } = await scenario();
      let n = 0;
      let crashedStep = "";
      await expect(
        w.sweep({
          hooks: {
            afterStep: (s, d) => {
              if (n++ === crashAt) {
                crashedStep = `${s}:${d ?? ""}`;
                throw new InjectedCrash(`crash after ${s}`);
              }
            },
          },
        }),
      ).rejects.toBeInstanceOf(InjectedCrash);
      // Rerun right away (claims of the crashed run still leased), then after the lease.
      await w.sweep();
      await w.clock.advance(15 * 60_000);
      await w.sweep();
      await w.clock.advance(60_000);
      await w.sweep();
      const keys = w.announcedKeys();
      expect(new Set(keys), `crash after ${crashedStep}`).toEqual(new Set(expected));
      const duplicates = keys.length - new Set(keys).size;
      if (crashedStep.startsWith("publish:")) expect(duplicates, crashedStep).toBeLessThanOrEqual(1);
      else expect(duplicates, `crash after ${crashedStep}`).toBe(0);
    }
  });
});
