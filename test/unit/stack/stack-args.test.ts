import { describe, expect, it } from "vitest";
import { UsageError } from "../../../cli/command-line.js";
import { parseDemoArgs, parseStartArgs } from "../../../cli/stack-args.js";
import { functionEnv, stillRunningMinutes } from "../../../stack/stack-config.js";
import { loadConfig, requireFor } from "../../../shared/config/load-config.js";

describe("stack options", () => {
  it("start: defaults and every option", () => {
    expect(parseStartArgs([])).toEqual({
      port: 8642,
      "data-dir": ".aidp-watch",
      speed: 1,
      "no-seed": false,
      "poll-interval": 5,
      "allow-overlap": false,
      shards: 1,
    });
    const r = parseStartArgs(["--port", "0", "--data-dir", "/tmp/x", "--speed", "5", "--no-seed", "--poll-interval", "2", "--shards", "3"]);
    expect(r).toMatchObject({ port: 0, "data-dir": "/tmp/x", speed: 5, "no-seed": true, "poll-interval": 2, shards: 3 });
    expect(() => parseStartArgs(["--shards", "0"])).toThrow(/--shards/);
  });

  it("rejects bad values and unknown options with a message naming them", () => {
    expect(() => parseStartArgs(["--speed", "0"])).toThrow(UsageError);
    expect(() => parseStartArgs(["--speed", "0"])).toThrow(/--speed/);
    expect(() => parseStartArgs(["--sped", "2"])).toThrow(/sped/);
    expect(parseDemoArgs(["--help"])).toBe("help");
    expect(parseDemoArgs([])).toMatchObject({ speed: 20, timeout: 60, port: 0 });
  });
});

describe("function environment", () => {
  it("is a valid configuration for every function", () => {
    const env = functionEnv({
      emulatorUrl: "http://127.0.0.1:9",
      platformIds: ["ocid1.aidataplatform.oc1.iad.x"],
      speed: 20,
      resourcePrincipalEnv: { OCI_RESOURCE_PRINCIPAL_VERSION: "2.2" },
    });
    const config = loadConfig(env);
    for (const h of ["poll", "track", "export"] as const) expect(() => requireFor(h, config)).not.toThrow();
    expect(config.AIDP_WATCH_AIDP_ENDPOINT).toBe("http://127.0.0.1:9");
    expect(env.OCI_RESOURCE_PRINCIPAL_VERSION).toBe("2.2");
    // The fan-out (and platform discovery) reach the emulator too.
    expect(config.AIDP_WATCH_INVOKE_ENDPOINT).toBe("http://127.0.0.1:9");
    expect(config.AIDP_WATCH_CONTROL_PLANE_ENDPOINT).toBe("http://127.0.0.1:9");
    const sharded = loadConfig(
      functionEnv({ emulatorUrl: "http://127.0.0.1:9", platformIds: [], speed: 1, resourcePrincipalEnv: {}, shards: 4 }),
    );
    expect(sharded.AIDP_WATCH_SHARDS).toBe(4);
  });

  it("puts the still-running threshold below the long operation's 40 scenario-minutes at any speed", () => {
    for (const speed of [1, 2, 20, 40, 60, 200]) {
      const minutes = stillRunningMinutes(speed);
      expect(minutes).toBeGreaterThanOrEqual(1);
      if (speed <= 40) expect(minutes * 60_000).toBeLessThanOrEqual((40 * 60_000) / speed);
    }
  });
});
