import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InjectedCrash } from "../../../shared/watch/watch-errors.js";
import { Deadline } from "../../../shared/time/deadline.js";
import { BUCKET, op, PLATFORM, startWatchStack, TOPIC, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;

describe("concurrency and crashes against the emulator", () => {
  let stack: WatchStack;
  beforeAll(async () => {
    stack = await startWatchStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("two overlapping sweeps announce each terminal state once", async () => {
    const keys = Array.from(
      { length: 12 },
      (_, i) =>
        stack.aidp.addOperation(
          PLATFORM,
          op({ resourceName: `t${i}`, durationMs: 2 * MINUTE, finalStatus: i % 3 ? "SUCCEEDED" : "FAILED" }),
        ).key,
    );
    await stack.poll();
    await stack.clock.advance(3 * MINUTE);
    const [a, b] = await Promise.all([stack.poll(), stack.poll()]);
    expect(a.failed + b.failed).toBe(0);
    await stack.clock.advance(MINUTE);
    await stack.poll();
    const announced = stack.announcedKeys();
    expect(announced).toHaveLength(12);
    expect(new Set(announced)).toEqual(new Set(keys.map((k, i) => `${PLATFORM}/${k}/${i % 3 ? "SUCCEEDED" : "FAILED"}`)));
  });

  it("a track call racing a sweep does not duplicate", async () => {
    const { key } = stack.aidp.addOperation(PLATFORM, op({ durationMs: 0, finalStatus: "SUCCEEDED" }));
    await stack.clock.advance(1000);
    const before = stack.ons.messages(TOPIC).length;
    await Promise.all([stack.track({ aiDataPlatformId: PLATFORM, asyncOperationKey: key }), stack.poll()]);
    await stack.clock.advance(MINUTE);
    await stack.poll();
    expect(stack.ons.messages(TOPIC).length - before).toBe(1);
    expect(stack.announcedKeys().filter((k) => k.includes(`/${key}/`))).toEqual([`${PLATFORM}/${key}/SUCCEEDED`]);
  });
});

describe("crash injected between every two steps of a sweep, then a rerun", () => {
  it("loses nothing; duplicates only when the crash falls between publish and recording it", async () => {
    const stack = await startWatchStack();
    try {
      // Each run gets its own platform, so all runs share one emulator and start from the same state.
      const scenario = async (platformId: string) => {
        stack.aidp.addPlatform(platformId);
        const a = stack.aidp.addOperation(
          platformId,
          op({ resourceName: "a", durationMs: 2 * MINUTE, finalStatus: "FAILED", errorMessage: "x" }),
        ).key;
        const b = stack.aidp.addOperation(platformId, op({ resourceName: "b", durationMs: 2 * MINUTE })).key;
        await stack.poll({ platformIds: [platformId] });
        await stack.clock.advance(MINUTE);
        const c = stack.aidp.addOperation(platformId, op({ resourceName: "c", durationMs: 10_000, finalStatus: "CANCELED" })).key;
        // A registration from `track` to be merged and deleted by the sweep.
        await stack.services.stateStore.put(`aidp-watch/platforms/${platformId}/registrations/${b}.json`, "{}", {
          ifNoneMatch: "*",
          deadline: Deadline.in(10_000),
        });
        await stack.clock.advance(2 * MINUTE);
        return [`${a}/FAILED`, `${b}/SUCCEEDED`, `${c}/CANCELED`].map((k) => `${platformId}/${k}`).sort();
      };
      const announcedFor = (platformId: string) => stack.announcedKeys().filter((k) => k.startsWith(`${platformId}/`));

      const probe = "ocid1.aidataplatform.oc1.iad.probe";
      const expectedProbe = await scenario(probe);
      const steps: string[] = [];
      await stack.poll({ platformIds: [probe], hooks: { afterStep: (s, d) => steps.push(`${s}:${d ?? ""}`) } });
      expect(announcedFor(probe).sort()).toEqual(expectedProbe);
      expect(steps.length).toBeGreaterThanOrEqual(12);

      for (let crashAt = 0; crashAt < steps.length; crashAt++) {
        const platformId = `ocid1.aidataplatform.oc1.iad.crash${crashAt}`;
        const expected = await scenario(platformId);
        let n = 0;
        let crashed = "";
        await expect(
          stack.poll({
            platformIds: [platformId],
            hooks: {
              afterStep: (s, d) => {
                if (n++ === crashAt) {
                  crashed = `${s}:${d ?? ""}`;
                  throw new InjectedCrash(`crash after ${crashed}`);
                }
              },
            },
          }),
        ).rejects.toThrow(InjectedCrash);
        await stack.poll({ platformIds: [platformId] });
        await stack.clock.advance(15 * MINUTE); // past any lease of the crashed run
        await stack.poll({ platformIds: [platformId] });
        await stack.clock.advance(MINUTE);
        await stack.poll({ platformIds: [platformId] });
        const keys = announcedFor(platformId);
        expect(new Set(keys), `crash after ${crashed}`).toEqual(new Set(expected));
        const duplicates = keys.length - new Set(keys).size;
        expect(duplicates, `crash after ${crashed}`).toBe(crashed.startsWith("publish:") ? 1 : 0);
        const leftovers = stack.os.listObjectNames(BUCKET, `aidp-watch/platforms/${platformId}/registrations/`);
        expect(leftovers, `crash after ${crashed}`).toEqual([]);
      }
    } finally {
      await stack.close();
    }
  }, 240_000);
});
