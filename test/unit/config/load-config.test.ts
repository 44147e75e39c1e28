import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../../shared/config/config-schema.js";
import { ConfigError, loadConfig, requireFor } from "../../../shared/config/load-config.js";

describe("loadConfig", () => {
  it("applies the documented defaults and ignores the rest of the environment", () => {
    const c = loadConfig({ PATH: "/usr/bin", FN_FN_NAME: "x", OCI_RESOURCE_PRINCIPAL_RPST: "secret" });
    expect(c.AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE).toBe(50);
    expect(c.AIDP_WATCH_NOTIFY_STATUSES).toEqual(["SUCCEEDED", "FAILED", "CANCELED", "OTHER"]);
    expect(c.AIDP_WATCH_LOG_LEVEL).toBe("warn");
    expect(c.AIDP_WATCH_PLATFORM_IDS).toEqual([]);
    expect(Object.keys(c).every((k) => k.startsWith("AIDP_WATCH_"))).toBe(true);
  });

  it("parses lists, booleans and integers from strings", () => {
    const c = loadConfig({
      AIDP_WATCH_PLATFORM_IDS: " ocid1.aidataplatform.oc1.iad.aaa , ocid1.aidataplatform.oc1..bbb ",
      AIDP_WATCH_FILTER_BY_CALLING_PRINCIPAL: "true",
      AIDP_WATCH_AIDP_CONCURRENCY: "8",
      AIDP_WATCH_EXCLUDE_ACTION_TYPES: "DELETE_TABLE,",
    });
    expect(c.AIDP_WATCH_PLATFORM_IDS).toEqual(["ocid1.aidataplatform.oc1.iad.aaa", "ocid1.aidataplatform.oc1..bbb"]);
    expect(c.AIDP_WATCH_FILTER_BY_CALLING_PRINCIPAL).toBe(true);
    expect(c.AIDP_WATCH_AIDP_CONCURRENCY).toBe(8);
    expect(c.AIDP_WATCH_EXCLUDE_ACTION_TYPES).toEqual(["DELETE_TABLE"]);
  });

  it("treats empty values as unset (Terraform writes empty strings for unset optionals)", () => {
    expect(loadConfig({ AIDP_WATCH_TOPIC_ID: "", AIDP_WATCH_AIDP_CONCURRENCY: "" }).AIDP_WATCH_AIDP_CONCURRENCY).toBe(4);
  });

  it("rejects unknown AIDP_WATCH_ keys and lists every problem without echoing values", () => {
    let err: unknown;
    try {
      loadConfig({ AIDP_WATCH_TOPIC: "x", AIDP_WATCH_AIDP_CONCURRENCY: "lots", AIDP_WATCH_TOPIC_ID: "not-an-ocid-SECRETVALUE" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.problems).toHaveLength(3);
    expect(e.message).toContain("AIDP_WATCH_TOPIC ");
    expect(e.message).toContain("AIDP_WATCH_AIDP_CONCURRENCY");
    expect(e.message).not.toContain("SECRETVALUE");
  });

  it("rejects an invalid time zone and a budget above ONS's 60/min", () => {
    expect(() => loadConfig({ AIDP_WATCH_DISPLAY_TIME_ZONE: "Mars/Olympus" })).toThrow(/IANA/);
    expect(() => loadConfig({ AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE: "61" })).toThrow(ConfigError);
  });

  it("requireFor names the keys a handler cannot work without", () => {
    const c = loadConfig({ AIDP_WATCH_STATE_BUCKET: "state" });
    expect(() => requireFor("poll", c)).toThrow(/AIDP_WATCH_TOPIC_ID/);
    expect(() => requireFor("export", c)).toThrow(/AIDP_WATCH_OUTPUT_BUCKET/);
  });

  it("every key carries the prefix", () => {
    expect(CONFIG_KEYS.length).toBeGreaterThan(20);
    for (const k of CONFIG_KEYS) expect(k).toMatch(/^AIDP_WATCH_[A-Z0-9_]+$/);
  });
});

describe("requireFor with export discovery", () => {
  it("poll needs the output bucket once export workspaces are listed", () => {
    const base = { AIDP_WATCH_STATE_BUCKET: "s", AIDP_WATCH_TOPIC_ID: "ocid1.onstopic.oc1..t" };
    expect(() => requireFor("poll", loadConfig(base))).not.toThrow();
    expect(() => requireFor("poll", loadConfig({ ...base, AIDP_WATCH_EXPORT_WORKSPACES: "ws1" }))).toThrow(/AIDP_WATCH_OUTPUT_BUCKET/);
    expect(() =>
      requireFor("poll", loadConfig({ ...base, AIDP_WATCH_EXPORT_WORKSPACES: "ws1", AIDP_WATCH_OUTPUT_BUCKET: "o" })),
    ).not.toThrow();
  });
});
