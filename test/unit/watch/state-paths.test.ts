import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatePaths } from "../../../shared/watch/state-paths.js";

const platformId = fc.stringMatching(/^[a-z0-9.]{1,40}$/);
const prefix = fc.constantFrom("", "state/", "a/b/");

describe("StatePaths: object names and their inverses", () => {
  it("indexOf(index(p)) is p; claimOf(claim(p, k, s)) is (p, k, s), whatever the key and status", () => {
    fc.assert(
      fc.property(prefix, platformId, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (pre, p, key, status) => {
        const paths = new StatePaths(pre);
        expect(paths.indexOf(paths.index(p))).toBe(p);
        expect(paths.claimOf(paths.claim(p, key, status))).toEqual({ platformId: p, key, status });
      }),
    );
  });

  it("other names under the prefix are not an index or a claim", () => {
    const paths = new StatePaths("state/");
    for (const name of [
      "state/platforms/p1/registrations/k.json",
      "state/platforms//index.json",
      "state/platforms/a/b/index.json",
      "other/platforms/p1/index.json",
      "state/platforms/p1/index.json.tmp",
    ]) {
      expect(paths.indexOf(name)).toBeUndefined();
    }
    expect(paths.claimOf("state/announcements/p1/k.json")).toBeUndefined();
    expect(paths.claimOf(paths.index("p1"))).toBeUndefined();
  });
});
