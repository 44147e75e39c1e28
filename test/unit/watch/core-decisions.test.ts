import { describe, expect, it } from "vitest";
import { ALLOW_ALL, shouldAnnounce, statusAdmitted, typesAdmitted } from "../../../shared/watch/announcement-filter.js";
import { decideExistingClaim, leaseUntilMs, MAX_LEASE_MS } from "../../../shared/watch/claim-record.js";
import { applyChanges } from "../../../shared/watch/index-changes.js";
import { emptyBudget, grantPublishes, planPublishes } from "../../../shared/watch/publish-budget.js";
import { decideFetch, decideTime, planDiscovery } from "../../../shared/watch/sweep-decisions.js";
import { emptyIndex, parseIndex, serializeIndex, type TrackedOperation, WatchIndexError } from "../../../shared/watch/watch-index.js";
import { makeOp, PLATFORM, TEST_RULES } from "../../support/watch-harness.js";

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function tracked(overrides: Partial<TrackedOperation> = {}): TrackedOperation {
  const op = makeOp();
  return {
    ...op,
    opcRequestIds: [],
    firstSeenAt: iso(NOW - 60_000),
    source: "list",
    notFoundCount: 0,
    stillRunningWarned: false,
    ...overrides,
  } as TrackedOperation;
}

describe("planDiscovery", () => {
  it("fetches tracked operations that left a complete in-progress list, and only those", () => {
    const stay = tracked();
    const gone = tracked();
    const index = { ...emptyIndex(PLATFORM, iso(NOW)), operations: { [stay.key]: stay, [gone.key]: gone } };
    const fresh = makeOp();
    const plan = planDiscovery({
      index,
      inProgress: [{ op: stay }, { op: fresh }],
      inProgressComplete: true,
      registrations: [],
      terminalListed: [],
      nowMs: NOW,
      filter: ALLOW_ALL,
    });
    expect(plan.toFetch).toEqual([gone.key]);
    expect(plan.discovered).toBe(1);
    const incomplete = planDiscovery({
      index,
      inProgress: [{ op: stay }],
      inProgressComplete: false,
      registrations: [],
      terminalListed: [],
      nowMs: NOW,
      filter: ALLOW_ALL,
    });
    expect(incomplete.toFetch).toEqual([]);
  });

  it("adds registrations as placeholders to fetch, and catch-up finds as pending", () => {
    const index = emptyIndex(PLATFORM, iso(NOW));
    const short = makeOp({ status: "FAILED" });
    const done = makeOp({ status: "SUCCEEDED" });
    index.recentlyAnnounced[`${done.key}/SUCCEEDED`] = iso(NOW);
    const plan = planDiscovery({
      index,
      inProgress: [],
      inProgressComplete: true,
      registrations: ["reg-1"],
      terminalListed: [{ op: short }, { op: done }],
      nowMs: NOW,
      filter: ALLOW_ALL,
    });
    expect(plan.toFetch).toEqual(["reg-1", short.key]);
    const next = applyChanges(index, plan.changes);
    expect(next.operations["reg-1"]).toMatchObject({ source: "track", status: "IN_PROGRESS" });
    expect(next.operations[short.key]).toMatchObject({ pending: "FAILED" });
    expect(next.operations[done.key]).toBeUndefined();
  });
});

describe("decideFetch / decideTime", () => {
  it("turns a terminal fetch into a pending announcement and counts 404s to LOST", () => {
    const e = tracked();
    const found = decideFetch(e, { kind: "found", op: { ...e, status: "CANCELED" } }, NOW, TEST_RULES);
    expect(found).toMatchObject({ kind: "upsert", entry: { pending: "CANCELED" } });
    let entry = e;
    for (let i = 1; i <= 3; i++) {
      const c = decideFetch(entry, { kind: "not-found" }, NOW, TEST_RULES);
      if (c?.kind !== "upsert") throw new Error("expected an upsert");
      entry = c.entry;
      expect(entry.notFoundCount).toBe(i);
    }
    expect(entry.pending).toBe("LOST");
    expect(decideFetch(e, { kind: "error" }, NOW, TEST_RULES)).toBeUndefined();
  });

  it("warns once past the threshold and gives up past the maximum age", () => {
    const started = (ago: number) => tracked({ timeStarted: iso(NOW - ago) });
    expect(decideTime(started(60_000), NOW, TEST_RULES)).toBeUndefined();
    expect(decideTime(started(121 * 60_000), NOW, TEST_RULES)).toBe("STILL_RUNNING");
    expect(decideTime({ ...started(121 * 60_000), stillRunningWarned: true }, NOW, TEST_RULES)).toBeUndefined();
    expect(decideTime(started(73 * 3_600_000), NOW, TEST_RULES)).toBe("GAVE_UP");
    expect(decideTime(started(121 * 60_000), NOW, { ...TEST_RULES, stillRunningAfterMs: 0 })).toBeUndefined();
  });
});

describe("applyChanges", () => {
  it("re-applied to a newer index, never resurrects what another sweep announced", () => {
    const e = tracked();
    const base = { ...emptyIndex(PLATFORM, iso(NOW - 600_000)), operations: { [e.key]: e } };
    const theirs = applyChanges(base, [{ kind: "announced", key: e.key, status: "SUCCEEDED", at: iso(NOW) }]);
    const ours = applyChanges(theirs, [
      { kind: "upsert", entry: { ...e, opcRequestIds: ["x"] } },
      { kind: "watermark", iso: iso(NOW - 300_000) },
    ]);
    expect(ours.operations[e.key]).toBeUndefined();
    expect(ours.watermark).toBe(iso(NOW - 300_000));
    const older = applyChanges(ours, [{ kind: "watermark", iso: iso(NOW - 900_000) }]);
    expect(older.watermark).toBe(iso(NOW - 300_000));
  });

  it("prunes recentlyAnnounced entries older than the watermark and forgets given-up keys no longer listed", () => {
    const idx = emptyIndex(PLATFORM, iso(NOW - 600_000));
    idx.recentlyAnnounced = { "a/SUCCEEDED": iso(NOW - 700_000), "b/FAILED": iso(NOW) };
    idx.givenUp = { g1: iso(NOW), g2: iso(NOW) };
    const next = applyChanges(idx, [{ kind: "pruneGivenUp", stillInProgress: new Set(["g1"]) }]);
    expect(Object.keys(next.recentlyAnnounced)).toEqual(["b/FAILED"]);
    expect(Object.keys(next.givenUp)).toEqual(["g1"]);
  });

  it("round-trips through JSON and rejects another platform's index", () => {
    const idx = applyChanges(emptyIndex(PLATFORM, iso(NOW)), [{ kind: "upsert", entry: tracked() }]);
    expect(parseIndex(serializeIndex(idx), PLATFORM)).toEqual(idx);
    expect(() => parseIndex(serializeIndex(idx), "ocid1.other")).toThrow(WatchIndexError);
    expect(() => parseIndex("{", PLATFORM)).toThrow(WatchIndexError);
  });
});

describe("publish budget", () => {
  it("grants within a sliding minute", () => {
    let s = emptyBudget();
    let g = grantPublishes(s, NOW, 40, 50);
    expect(g.granted).toBe(40);
    s = g.state;
    g = grantPublishes(s, NOW + 30_000, 40, 50);
    expect(g.granted).toBe(10);
    s = g.state;
    expect(grantPublishes(s, NOW + 59_000, 5, 50).granted).toBe(0);
    expect(grantPublishes(s, NOW + 60_001, 45, 50).granted).toBe(40);
  });

  it("plans individual messages, then one digest, never more messages than tokens", () => {
    expect(planPublishes(10, 50)).toEqual({ individual: 10, digest: 0, deferred: 0 });
    expect(planPublishes(500, 50)).toEqual({ individual: 49, digest: 451, deferred: 0 });
    expect(planPublishes(3, 1)).toEqual({ individual: 0, digest: 3, deferred: 0 });
    expect(planPublishes(3, 0)).toEqual({ individual: 0, digest: 0, deferred: 3 });
    for (let n = 0; n < 60; n++) {
      for (let t = 0; t < 60; t++) {
        const p = planPublishes(n, t);
        expect(p.individual + p.digest + p.deferred).toBe(n);
        expect(p.individual + (p.digest > 0 ? 1 : 0)).toBeLessThanOrEqual(t);
      }
    }
  });
});

describe("filters and claims", () => {
  const filter = {
    statuses: ["FAILED", "OTHER"],
    includeActionTypes: ["CREATE_TABLE"],
    excludeActionTypes: [],
    includeResourceTypes: [],
    excludeResourceTypes: ["VIEW"],
  };
  it("applies statuses (OTHER = unknown values) and types", () => {
    expect(statusAdmitted(filter, "FAILED")).toBe(true);
    expect(statusAdmitted(filter, "SUCCEEDED")).toBe(false);
    expect(statusAdmitted(filter, "NEW_STATUS")).toBe(true);
    expect(statusAdmitted(filter, "LOST")).toBe(true);
    expect(typesAdmitted(filter, { actionType: "CREATE_TABLE", resourceType: "VIEW" })).toBe(false);
    expect(shouldAnnounce(filter, "FAILED", { actionType: "DELETE_TABLE", resourceType: "TABLE" })).toBe(false);
    expect(shouldAnnounce(filter, "FAILED", { actionType: "CREATE_TABLE", resourceType: "TABLE" })).toBe(true);
  });

  it("decides about someone else's claim by its state and lease", () => {
    expect(decideExistingClaim({ state: "published", messageId: "m", publishedAt: iso(NOW) }, NOW)).toBe("published");
    expect(decideExistingClaim({ state: "claimed", leaseUntil: iso(NOW + 1000) }, NOW)).toBe("busy");
    expect(decideExistingClaim({ state: "claimed", leaseUntil: iso(NOW - 1) }, NOW)).toBe("take-over");
    expect(decideExistingClaim(undefined, NOW)).toBe("take-over");
    expect(leaseUntilMs(NOW, NOW + 30_000)).toBe(NOW + 60_000);
    expect(leaseUntilMs(NOW, Number.MAX_SAFE_INTEGER)).toBe(NOW + MAX_LEASE_MS + 30_000);
  });
});
