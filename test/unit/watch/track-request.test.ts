import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTrackRequest, TrackInputError } from "../../../shared/watch/track-request.js";

const P = "ocid1.aidataplatform.oc1.iad.amaaaaplatform";

function problems(input: unknown): readonly string[] {
  try {
    parseTrackRequest(input);
  } catch (err) {
    if (err instanceof TrackInputError) return err.problems;
    throw err;
  }
  throw new Error("expected the request to be rejected");
}

describe("track request", () => {
  it("reads a CloudEvents envelope from resourceId and additionalDetails", () => {
    const event = {
      eventType: "com.oraclecloud.aidataplatform.x",
      cloudEventsVersion: "0.1",
      eventID: "e1",
      data: { resourceId: P, additionalDetails: { asyncOperationKey: "k1" } },
    };
    expect(parseTrackRequest(event)).toEqual([{ platformId: P, asyncOperationKey: "k1", via: "event", eventId: "e1" }]);
    const viaHeader = { eventType: "x", data: { resourceId: P, additionalDetails: { "aidp-async-operation-key": "k2" } } };
    expect(parseTrackRequest(viaHeader)[0]).toMatchObject({ asyncOperationKey: "k2" });
    const inId = { eventType: "x", data: { resourceId: `${P}/asyncOperations/k3` } };
    expect(parseTrackRequest(inId)[0]).toMatchObject({ platformId: P, asyncOperationKey: "k3" });
    const detailsWin = {
      eventType: "x",
      data: { resourceId: "ocid1.other.oc1..x", additionalDetails: { aiDataPlatformId: P, aidpAsyncOperationKey: "k4" } },
    };
    expect(parseTrackRequest(detailsWin)[0]).toMatchObject({ platformId: P, asyncOperationKey: "k4" });
  });

  it("reads plain requests and arrays, folding duplicates", () => {
    expect(parseTrackRequest({ aiDataPlatformId: P, asyncOperationKey: "k" })).toEqual([
      { platformId: P, asyncOperationKey: "k", via: "direct" },
    ]);
    expect(
      parseTrackRequest([
        { aiDataPlatformId: P, "aidp-async-operation-key": "k" },
        { aiDataPlatformId: P, asyncOperationKey: "k" },
      ]),
    ).toHaveLength(1);
  });

  it("lists every problem with its path", () => {
    const p = problems([
      { aiDataPlatformId: "nope", asyncOperationKey: "a b" },
      { aiDataPlatformId: P },
      { eventType: "x", data: {} },
      "str",
      { aiDataPlatformId: P, asyncOperationKey: "k", extra: 1 },
    ]);
    expect(p.find((x) => x.startsWith("[0].aiDataPlatformId"))).toBeDefined();
    expect(p.find((x) => x.startsWith("[0].asyncOperationKey"))).toBeDefined();
    expect(p.find((x) => x.startsWith("[1].asyncOperationKey"))).toBeDefined();
    expect(p.filter((x) => x.startsWith("[2].data"))).toHaveLength(2);
    expect(p.find((x) => x.startsWith("[3]"))).toBeDefined();
    expect(p.find((x) => x.startsWith("[4]") && x.includes("extra"))).toBeDefined();
    expect(problems([])).toEqual(["(input): the array is empty"]);
    expect(problems("not json")[0]).toMatch(/expected JSON/);
    expect(problems(Array.from({ length: 101 }, () => ({ aiDataPlatformId: P, asyncOperationKey: "k" })))[0]).toMatch(/at most 100/);
  });

  it("answers a clear error for bodies that are neither the OCI Events envelope nor the direct body", () => {
    expect(problems({ foo: 1, bar: 2 })).toEqual([
      "(input): neither an OCI Events envelope (eventType, data) nor { aiDataPlatformId, asyncOperationKey }: keys foo, bar",
    ]);
    expect(problems({})[0]).toMatch(/neither an OCI Events envelope .*: an empty object$/);
    // CloudEvents 1.0 is not what OCI Events sends (0.1: eventType, cloudEventsVersion).
    expect(problems({ specversion: "1.0", type: "com.oraclecloud.x", source: "s", id: "1", data: { resourceId: P } })).toEqual([
      "(input): a CloudEvents 1.0 envelope (specversion/type); track accepts the OCI Events envelope (CloudEvents 0.1: eventType, data) or { aiDataPlatformId, asyncOperationKey }",
    ]);
    expect(problems([{ aiDataPlatformId: P, asyncOperationKey: "k" }, { hello: "x" }])).toEqual([
      "[1]: neither an OCI Events envelope (eventType, data) nor { aiDataPlatformId, asyncOperationKey }: keys hello",
    ]);
    expect(problems(42)[0]).toMatch(/expected a CloudEvents envelope or \{ aiDataPlatformId, asyncOperationKey \}/);
    expect(problems(null)[0]).toMatch(/expected a CloudEvents envelope/);
  });

  it("never throws anything but TrackInputError, and accepts exactly the well-formed targets (property)", () => {
    const key = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
    const platform = fc.stringMatching(/^[a-z0-9]{1,20}$/).map((s) => `ocid1.aidataplatform.oc1.iad.${s}`);
    const good = fc.oneof(
      fc.record({ aiDataPlatformId: platform, asyncOperationKey: key }),
      fc.tuple(platform, key).map(([p, k]) => ({
        eventType: "com.oraclecloud.x",
        data: { resourceId: p, additionalDetails: { "aidp-async-operation-key": k } },
      })),
    );
    fc.assert(
      fc.property(fc.oneof(good, fc.array(good, { minLength: 1, maxLength: 10 })), (input) => {
        const out = parseTrackRequest(input);
        const n = new Set((Array.isArray(input) ? input : [input]).map((i) => JSON.stringify(i))).size;
        expect(out.length).toBeGreaterThan(0);
        expect(out.length).toBeLessThanOrEqual(n);
      }),
    );
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          const out = parseTrackRequest(input);
          for (const t of out) {
            expect(t.platformId).toMatch(/^ocid1\./);
            expect(t.asyncOperationKey.length).toBeGreaterThan(0);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(TrackInputError);
          expect((err as TrackInputError).problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
