import { describe, expect, it } from "vitest";
import { type ListedPlatform, optedOut, selectPlatforms } from "../../../shared/watch/platform-selection.js";

const p = (id: string, lifecycleState = "ACTIVE", freeformTags: Record<string, string> = {}): ListedPlatform => ({
  id,
  compartmentId: "ocid1.compartment.oc1..c",
  displayName: id,
  lifecycleState,
  freeformTags,
});

describe("which platforms a sweep watches", () => {
  it("takes the explicit ones first, then ACTIVE discovered ones by OCID, without duplicates", () => {
    const r = selectPlatforms(["z", "a", "z"], [p("c"), p("b"), p("a")]);
    expect(r.ids).toEqual(["z", "a", "b", "c"]);
    expect(r.skipped).toEqual([]);
  });

  it("skips every lifecycle state but ACTIVE, even when the service ignored the filter", () => {
    const states = ["DELETED", "FAILED", "CREATING", "UPDATING", "DELETING", "NEW_STATE", "active"];
    const r = selectPlatforms(
      [],
      states.map((s) => p(s, s)),
    );
    expect(r.ids).toEqual([]);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual(states.map((s) => `lifecycle state ${s}`).sort());
  });

  it("skips platforms tagged aidp-watch=off (key and value in any case), not other values", () => {
    expect(optedOut({ "aidp-watch": "off" })).toBe(true);
    expect(optedOut({ "AIDP-WATCH": " Off" })).toBe(true);
    expect(optedOut({ "aidp-watch": "on" })).toBe(false);
    expect(optedOut({ "aidp-watch-x": "off" })).toBe(false);
    const r = selectPlatforms([], [p("a", "ACTIVE", { "aidp-watch": "off" }), p("b", "ACTIVE", { "aidp-watch": "yes" })]);
    expect(r.ids).toEqual(["b"]);
    expect(r.skipped).toEqual([{ id: "a", reason: "tagged aidp-watch=off" }]);
  });

  it("keeps an explicitly listed platform whatever its tags or state", () => {
    const r = selectPlatforms(["a"], [p("a", "UPDATING", { "aidp-watch": "off" })]);
    expect(r.ids).toEqual(["a"]);
    expect(r.skipped).toEqual([]);
  });
});
