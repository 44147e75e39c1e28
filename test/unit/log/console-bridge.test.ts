import { describe, expect, it } from "vitest";
import { bridgeConsole } from "../../../shared/log/console-bridge.js";
import { createLogger } from "../../../shared/log/logger.js";
import { MemorySink } from "../../support/memory-log-sink.js";

describe("bridgeConsole", () => {
  it("turns third-party console output into redacted debug records, dropped at the default level", () => {
    const quiet = new MemorySink();
    const restore = bridgeConsole(createLogger({ sink: quiet }));
    try {
      console.warn("Request cannot be retried. Not Retrying. Exception occurred : %s", "ObjectNotFound");
    } finally {
      restore();
    }
    expect(quiet.lines).toEqual([]);

    const verbose = new MemorySink();
    const restore2 = bridgeConsole(createLogger({ sink: verbose, level: "debug" }));
    try {
      console.warn("retrying %d", 3, { token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eHh4eCJ9.c2lnbmF0dXJl" });
    } finally {
      restore2();
    }
    const [record] = verbose.records();
    expect(record).toMatchObject({ level: "debug", source: "console", consoleMethod: "warn" });
    expect(String(record?.message)).toContain("retrying 3");
    expect(String(record?.message)).not.toContain("eyJzdWIi");
  });

  it("restores the original console", () => {
    const before = console.warn;
    bridgeConsole(createLogger({ sink: new MemorySink() }))();
    expect(console.warn).toBe(before);
  });
});
