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

  it("makes the FDK's own failure reports visible at the default level, as error records", () => {
    const sink = new MemorySink();
    const restore = bridgeConsole(createLogger({ sink }), {});
    try {
      // What @fnproject/fdk prints when it cannot write a response, or answers with an error.
      console.log("error writing response data", new Error("write EPIPE"));
      console.warn(`Error 500 : ${JSON.stringify({ message: "Error sending response", detail: "Error: socket hang up" })}`);
      console.warn("Unable to connect to unix socket /tmp/x.sock", new Error("EACCES"));
      console.warn("Request cannot be retried. Not Retrying. Exception occurred : ObjectNotFound");
    } finally {
      restore();
    }
    const records = sink.records();
    expect(records.map((r) => [r.level, r.source])).toEqual([
      ["error", "fdk"],
      ["error", "fdk"],
      ["error", "fdk"],
    ]);
    expect(String(records[0]?.message)).toContain("write EPIPE");
  });

  it("passes Fn's log-frame markers through unchanged", () => {
    const sink = new MemorySink();
    const written: string[] = [];
    const before = console.log;
    console.log = (...a: unknown[]) => {
      written.push(a.join(" "));
    };
    const restore = bridgeConsole(createLogger({ sink }), { FN_LOGFRAME_NAME: "fnframe" });
    try {
      console.log("\nfnframe=01CALL");
    } finally {
      restore();
      console.log = before;
    }
    expect(written).toEqual(["\nfnframe=01CALL"]);
    expect(sink.lines).toEqual([]);
  });

  it("restores the original console", () => {
    const before = console.warn;
    bridgeConsole(createLogger({ sink: new MemorySink() }))();
    expect(console.warn).toBe(before);
  });
});
