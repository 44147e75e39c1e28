/**
 * What a `poll` body may ask for. Schedulers send all kinds of bodies (empty,
 * a CloudEvent, `{}`), and those mean "the scheduled sweep"; only a body with
 * `shard`/`of` is read, and then strictly: `{"shard": i, "of": n}` sweeps the
 * platforms of shard i of n (0-based; shared/watch/shard.ts), which is what
 * the fan-out sends each detached call.
 */
import * as z from "../../shared/schema/zod.js";
import { checkShard, MAX_SHARDS, type Shard, ShardError } from "../../shared/watch/shard.js";

export interface PollRequest {
  readonly shard: Shard | undefined;
}

const ShardBody = z.object({
  shard: z.number().check(z.int(), z.minimum(0), z.maximum(MAX_SHARDS - 1)),
  of: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SHARDS)),
});

export function parsePollRequest(input: unknown): PollRequest {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !("shard" in input || "of" in input))
    return { shard: undefined };
  const parsed = ShardBody.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    throw new ShardError(`a poll body with a shard must be {"shard": i, "of": n} with 0 ≤ i < n ≤ ${MAX_SHARDS} (${problems.join("; ")})`, {
      context: { problems: problems.join("; ") },
    });
  }
  return { shard: checkShard(parsed.data.shard, parsed.data.of) };
}
