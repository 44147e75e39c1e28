import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrackInputError } from "../../../shared/watch/track-request.js";
import { BUCKET, op, PLATFORM, startWatchStack, TOPIC, type WatchStack } from "./watch-emulator.js";

const MINUTE = 60_000;

describe("track against the emulator", () => {
  let stack: WatchStack;
  beforeAll(async () => {
    stack = await startWatchStack();
    await stack.poll();
  });
  afterAll(async () => {
    await stack.close();
  });

  const registrations = () => stack.os.listObjectNames(BUCKET, `aidp-watch/platforms/${PLATFORM}/registrations/`);

  it("takes an OCI Events CloudEvents envelope and announces an operation that already ended within the call", async () => {
    const { key } = stack.aidp.addOperation(PLATFORM, op({ durationMs: 0, finalStatus: "FAILED", errorMessage: "no such catalog" }));
    await stack.clock.advance(1000);
    const event = {
      eventType: "com.oraclecloud.aidataplatform.createtable.end",
      cloudEventsVersion: "0.1",
      eventTypeVersion: "2.0",
      source: "aidataplatform",
      eventID: "6b2f6d8e-1111-2222-3333-444455556666",
      eventTime: new Date(stack.clock.now()).toISOString(),
      contentType: "application/json",
      extensions: { compartmentId: "ocid1.compartment.oc1..c" },
      data: { resourceId: PLATFORM, resourceName: "sales", additionalDetails: { "aidp-async-operation-key": key } },
    };
    const result = await stack.track(event);
    expect(result).toMatchObject({
      tracked: 1,
      published: 1,
      operations: [{ asyncOperationKey: key, registration: "created", status: "FAILED", announcement: "published" }],
    });
    expect(stack.announcedKeys()).toEqual([`${PLATFORM}/${key}/FAILED`]);
    expect(registrations()).toEqual([]);
    // A duplicate event is harmless.
    const again = await stack.track(event);
    expect(again).toMatchObject({ operations: [{ registration: "created", announcement: "already" }] });
    await stack.clock.advance(MINUTE);
    await stack.poll();
    expect(stack.ons.messages(TOPIC)).toHaveLength(1);
  });

  it("registers running operations from a plain request and an array, for the sweep to announce", async () => {
    const a = stack.aidp.addOperation(PLATFORM, op({ durationMs: 2 * MINUTE })).key;
    const b = stack.aidp.addOperation(PLATFORM, op({ durationMs: 2 * MINUTE, finalStatus: "CANCELED" })).key;
    const before = stack.ons.messages(TOPIC).length;
    const one = await stack.track({ aiDataPlatformId: PLATFORM, "aidp-async-operation-key": a });
    expect(one).toMatchObject({ operations: [{ registration: "created", status: "IN_PROGRESS" }] });
    const many = await stack.track([
      { aiDataPlatformId: PLATFORM, asyncOperationKey: a },
      { data: { resourceId: `${PLATFORM}/asyncOperations/${b}` }, eventType: "x" },
    ]);
    expect(many).toMatchObject({ tracked: 2, operations: [{ registration: "exists" }, { registration: "created" }] });
    expect(registrations()).toHaveLength(2);
    await stack.clock.advance(3 * MINUTE);
    await stack.poll();
    expect(registrations()).toEqual([]);
    expect(stack.announcedKeys().slice(before).sort()).toEqual([`${PLATFORM}/${a}/SUCCEEDED`, `${PLATFORM}/${b}/CANCELED`].sort());
  });

  it("rejects an invalid request with every problem listed and writes nothing", async () => {
    const writes = stack.emu.stats.count("os.putObject");
    const bad = [{ aiDataPlatformId: "not-an-ocid", asyncOperationKey: "" }, { eventType: "e", data: { additionalDetails: {} } }, 42];
    const err = await stack.track(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackInputError);
    const problems = (err as TrackInputError).problems;
    expect(problems.some((p) => p.startsWith("[0].aiDataPlatformId"))).toBe(true);
    expect(problems.some((p) => p.startsWith("[0].asyncOperationKey"))).toBe(true);
    expect(problems.some((p) => p.startsWith("[1].data"))).toBe(true);
    expect(problems.some((p) => p.startsWith("[2]"))).toBe(true);
    expect(stack.emu.stats.count("os.putObject")).toBe(writes);
  });
});
