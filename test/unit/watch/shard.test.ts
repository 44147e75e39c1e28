import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkShard, inShard, parseShard, ShardError, shardHash, shardOf } from "../../../shared/watch/shard.js";

const ocid = fc.stringMatching(/^ocid1\.aidataplatform\.oc1\.[a-z-]{0,12}\.[a-z0-9]{1,60}$/);

describe("shards of platforms", () => {
  it("are disjoint and together cover every platform, for any platforms and shard count", () => {
    fc.assert(
      fc.property(fc.uniqueArray(ocid, { maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (ids, n) => {
        const taken = Array.from({ length: n }, (_, i) => ids.filter((id) => inShard(id, { index: i, of: n })));
        expect(taken.flat().sort()).toEqual([...ids].sort());
        expect(taken.reduce((sum, t) => sum + t.length, 0)).toBe(ids.length);
      }),
    );
  });

  it("are stable: SHA-256 of the OCID, first 4 bytes, as sha256sum computes it", () => {
    const id = "ocid1.aidataplatform.oc1.iad.aidpwatchdemo";
    const hex = execFileSync("sha256sum", { input: id }).toString().slice(0, 8);
    expect(shardHash(id)).toBe(Number.parseInt(hex, 16));
    expect(shardOf(id, 7)).toBe(Number.parseInt(hex, 16) % 7);
  });

  it("spread 500 platforms evenly enough over 4 shards", () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 500; i++) counts[shardOf(`ocid1.aidataplatform.oc1.iad.p${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(90);
  });

  it("parse i/n (0-based) and reject anything else with a clear error", () => {
    expect(parseShard("0/4")).toEqual({ index: 0, of: 4 });
    expect(parseShard(" 3 / 4 ")).toEqual({ index: 3, of: 4 });
    for (const bad of ["4/4", "1", "a/b", "-1/3", "1/0", "0/101", "1/2/3"]) expect(() => parseShard(bad), bad).toThrow(ShardError);
    expect(() => checkShard(2, 2)).toThrow(/from 0 to 1/);
    expect(inShard("anything", undefined)).toBe(true);
  });
});
