import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/config/load-config.js";
import { ShardError, shardOf } from "../../../shared/watch/shard.js";
import { op, startWatchStack, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;
const C1 = "ocid1.compartment.oc1..sharded";
const FN = "ocid1.fnfunc.oc1.iad.aidpwatchpoll";
const pid = (i: number) => `ocid1.aidataplatform.oc1.iad.shard${i}`;

let stack: WatchStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type PollResult = Awaited<ReturnType<WatchStack["poll"]>> & { watched: { shard?: string; platforms: number; total: number } };

/** 12 discovered platforms, each with one operation that ends within 2 minutes. */
async function shardedStack(env: Record<string, string> = {}) {
  const s = await startWatchStack({ env: { AIDP_WATCH_PLATFORM_IDS: "", AIDP_WATCH_COMPARTMENT_IDS: C1, ...env }, platformListTtlMs: 0 });
  const ops = new Map<string, string>();
  for (let i = 0; i < 12; i++) {
    s.aidp.addPlatform(pid(i), { compartmentId: C1 });
    ops.set(pid(i), s.aidp.addOperation(pid(i), op({ durationMs: 2 * MINUTE })).key);
  }
  return { s, ops, expected: [...ops].map(([p, k]) => `${p}/${k}/SUCCEEDED`).sort() };
}

describe("sweep --shard i/n", () => {
  it("shards are disjoint, cover every platform, and overlapping or repeated shards announce nothing twice", async () => {
    const { s, expected } = await shardedStack();
    stack = s;
    const ofThree = async () => {
      const results: PollResult[] = [];
      for (let i = 0; i < 3; i++) results.push((await s.poll({ input: { shard: i, of: 3 } })) as PollResult);
      return results;
    };
    const first = await ofThree();
    const perShard = first.map((r) => r.platforms.map((p) => p.platformId));
    expect(perShard.flat().sort()).toEqual(Array.from({ length: 12 }, (_, i) => pid(i)).sort());
    expect(new Set(perShard.flat()).size).toBe(12);
    first.forEach((r, i) => {
      expect(r.watched).toMatchObject({ shard: `${i}/3`, total: 12 });
      for (const p of r.platforms) expect(shardOf(p.platformId, 3)).toBe(i);
    });

    await s.clock.advance(3 * MINUTE);
    await ofThree();
    // Overlap: a full sweep and other shardings over the same state.
    await s.poll();
    await s.poll({ input: { shard: 1, of: 2 } });
    await s.poll({ input: { shard: 1, of: 3 } });
    expect(s.announcedKeys().sort()).toEqual(expected);
  });

  it("a shard that reaches its deadline saves what it did, says so, and the next call resumes", async () => {
    const { s, expected } = await shardedStack();
    stack = s;
    const shard = { shard: 0, of: 2 };
    await s.poll({ input: shard });
    await s.poll({ input: { shard: 1, of: 2 } });
    await s.clock.advance(3 * MINUTE);
    let saved = 0;
    const cut = (await s.poll({
      input: shard,
      deadlineMs: 60_000,
      hooks: {
        afterStep: (step) => {
          // The first platform's index is saved, then the deadline passes (no sleeper is due: time moves at once).
          if (step === "save-index" && ++saved === 1) void s.clock.advance(2 * MINUTE);
        },
      },
    })) as PollResult & { deadlineReached?: boolean; notStarted?: number };
    const mine = cut.watched.platforms;
    expect(mine).toBeGreaterThan(2);
    expect(cut).toMatchObject({ deadlineReached: true, notStarted: mine - 1, complete: false, published: 1 });
    expect(cut.platforms.filter((p) => p.complete)).toHaveLength(1);
    const rest = (await s.poll({ input: shard })) as PollResult & { deadlineReached?: boolean };
    expect(rest.deadlineReached).toBeUndefined();
    expect(rest.published).toBe(mine - 1);
    await s.poll({ input: { shard: 1, of: 2 } });
    expect(s.announcedKeys().sort()).toEqual(expected);
  });

  it("rejects a malformed shard body with a clear error", async () => {
    const { s } = await shardedStack();
    stack = s;
    await expect(s.poll({ input: { shard: 3, of: 3 } })).rejects.toThrow(ShardError);
    await expect(s.poll({ input: { shard: "0", of: 3 } })).rejects.toThrow(/shard/);
    // Unrelated bodies (schedulers, CloudEvents) still mean "the whole sweep".
    expect(((await s.poll({ input: { eventType: "x" } })) as PollResult).watched.total).toBe(12);
  });
});

describe("AIDP_WATCH_SHARDS fan-out through the Functions invoke endpoint", () => {
  it("invokes n detached poll calls of the same function, which together sweep everything once", async () => {
    const { s, expected } = await shardedStack({ AIDP_WATCH_SHARDS: "4" });
    stack = s;
    const shardResults: PollResult[] = [];
    // What the local stack does: deliver each invocation to the function (here in-process).
    s.fns.register(FN, async (body) => {
      const r = (await s.poll({ input: JSON.parse(body.toString("utf8")), functionId: FN })) as PollResult;
      shardResults.push(r);
      return { status: 200, body: JSON.stringify(r) };
    });

    const fan = (await s.poll({ functionId: FN })) as unknown as {
      fanOut: { of: number; invoked: number; shards: Array<{ shard: number; error?: string }> };
      failed: number;
    };
    expect(fan.fanOut).toMatchObject({ of: 4, invoked: 4 });
    expect(fan.failed).toBe(0);
    await s.fns.settled();
    const calls = s.fns.invocations(FN);
    expect(calls.map((c) => c.invokeType)).toEqual(["detached", "detached", "detached", "detached"]);
    expect(calls.map((c) => JSON.parse(c.body)).sort((a, b) => a.shard - b.shard)).toEqual([0, 1, 2, 3].map((i) => ({ shard: i, of: 4 })));
    expect(calls.every((c) => c.status === 200)).toBe(true);
    expect(shardResults.flatMap((r) => r.platforms.map((p) => p.platformId)).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => pid(i)).sort(),
    );

    await s.clock.advance(3 * MINUTE);
    await s.poll({ functionId: FN });
    await s.fns.settled();
    expect(s.announcedKeys().sort()).toEqual(expected);
    expect(s.emu.stats.count("functions.invokeFunction")).toBe(8);
  });

  it("reports shards it could not invoke, and needs the invoke endpoint", async () => {
    const { s } = await shardedStack({ AIDP_WATCH_SHARDS: "3" });
    stack = s;
    Object.assign(s.config, { AIDP_WATCH_INVOKE_ENDPOINT: undefined });
    await expect(s.poll({ functionId: FN })).rejects.toThrow(ConfigError);
    Object.assign(s.config, { AIDP_WATCH_INVOKE_ENDPOINT: s.emu.url });
    // Not registered: the invoke API answers 404 for every shard.
    const fan = (await s.poll({ functionId: FN })) as unknown as {
      fanOut: { invoked: number; shards: Array<{ error?: string }> };
      failed: number;
      complete: boolean;
    };
    expect(fan).toMatchObject({ failed: 3, complete: false, fanOut: { invoked: 0 } });
    expect(fan.fanOut.shards[0]?.error).toMatch(/404|NotAuthorizedOrNotFound/);
    // Without a function OCID (CLI, direct runs) there is nothing to invoke: the call sweeps everything.
    expect(((await s.poll()) as PollResult).watched).toMatchObject({ platforms: 12, total: 12 });
  });
});
