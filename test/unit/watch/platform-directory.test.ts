import { describe, expect, it } from "vitest";
import { Deadline } from "../../../shared/time/deadline.js";
import { PLATFORM_LIST_TTL_MS, PlatformDirectory } from "../../../shared/watch/platform-directory.js";
import type { ListedPlatform } from "../../../shared/watch/platform-selection.js";
import { FakeClock } from "../../support/fake-clock.js";

const platform = (id: string, compartmentId: string): ListedPlatform => ({
  id,
  compartmentId,
  displayName: undefined,
  lifecycleState: "ACTIVE",
  freeformTags: {},
});

function directory(clock: FakeClock, answers: Map<string, ListedPlatform[] | Error>) {
  const calls: Array<{ compartmentId: string; lifecycleState: string | undefined }> = [];
  const dir = new PlatformDirectory({
    compartmentIds: ["c1", "c2"],
    clock,
    list: async (compartmentId, o) => {
      calls.push({ compartmentId, lifecycleState: o.lifecycleState });
      await Promise.resolve();
      const a = answers.get(compartmentId);
      if (a instanceof Error) throw a;
      return a ?? [];
    },
  });
  return { dir, calls };
}

describe("the per-container list of discovered platforms", () => {
  it("lists every compartment (ACTIVE on the server) once per 5 minutes, sharing one listing between concurrent callers", async () => {
    const clock = new FakeClock();
    const answers = new Map<string, ListedPlatform[] | Error>([
      ["c1", [platform("a", "c1")]],
      ["c2", [platform("b", "c2")]],
    ]);
    const { dir, calls } = directory(clock, answers);
    const d = Deadline.in(10_000, clock);
    const [x, y] = await Promise.all([dir.platforms(d), dir.platforms(d)]);
    expect(calls).toEqual([
      { compartmentId: "c1", lifecycleState: "ACTIVE" },
      { compartmentId: "c2", lifecycleState: "ACTIVE" },
    ]);
    expect(x.platforms.map((p) => p.id)).toEqual(["a", "b"]);
    expect(y).toBe(x);
    await clock.advance(PLATFORM_LIST_TTL_MS - 1);
    expect((await dir.platforms(d)).fromCache).toBe(true);
    expect(calls).toHaveLength(2);
    await clock.advance(1);
    answers.set("c1", [platform("a", "c1"), platform("new", "c1")]);
    const fresh = await dir.platforms(Deadline.in(10_000, clock));
    expect(fresh.fromCache).toBe(false);
    expect(fresh.platforms.map((p) => p.id)).toEqual(["a", "new", "b"]);
  });

  it("serves the last good list, marked with the error, when a refresh fails; nothing when there is none", async () => {
    const clock = new FakeClock();
    const answers = new Map<string, ListedPlatform[] | Error>([["c1", new Error("403 NotAuthorizedOrNotFound")]]);
    const { dir } = directory(clock, answers);
    const none = await dir.platforms(Deadline.in(10_000, clock));
    expect(none).toMatchObject({ platforms: [], fromCache: false, listedAtMs: undefined });
    expect(none.error).toMatch(/403/);

    answers.set("c1", [platform("a", "c1")]);
    await dir.platforms(Deadline.in(10_000, clock));
    await clock.advance(PLATFORM_LIST_TTL_MS);
    // One compartment failing spoils the whole refresh: a partial list would drop platforms.
    answers.set("c2", new Error("timeout"));
    const stale = await dir.platforms(Deadline.in(10_000, clock));
    expect(stale.platforms.map((p) => p.id)).toEqual(["a"]);
    expect(stale).toMatchObject({ fromCache: true, error: "Error: timeout" });
  });
});
