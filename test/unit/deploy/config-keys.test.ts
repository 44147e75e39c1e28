// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (`${var.x}`) are the expected literal text here.
import { beforeAll, describe, expect, it } from "vitest";
import { selectHandler } from "../../../functions/fdk-adapter.js";
import { CONFIG_KEYS, HANDLERS, type HandlerName } from "../../../shared/config/config-schema.js";
import { ConfigError, loadConfig, requireFor } from "../../../shared/config/load-config.js";
import { allSource, loadInfra, locals, type TfFile } from "./infra-files.js";

// Terraform must set only keys the zod schema knows (an unknown AIDP_WATCH_*
// key makes every call fail at start-up), and every key a deployed function
// can read must be settable from Terraform under the same name.

/** Keys that only point a local run at the emulator; a deployed function uses the region's endpoints. */
const EMULATOR_ONLY = ["AIDP_WATCH_OBJECT_STORAGE_ENDPOINT", "AIDP_WATCH_NOTIFICATIONS_ENDPOINT"];

let files: TfFile[] = [];
let groups: Record<string, string[]> = {};
let groupsOf: Record<string, string[]> = {};
let ownKeys: string[] = [];

function keysOf(expression: unknown): string[] {
  return [...String(expression).matchAll(/\b(AIDP_WATCH_[A-Z0-9_]+)\s*=/g)].map((m) => m[1] as string);
}

/** The keys Terraform sets on the function of `handler` (before dropping nulls). */
function tfKeys(handler: HandlerName): string[] {
  return [...(groupsOf[handler] ?? []).flatMap((g) => groups[g] ?? []), ...ownKeys];
}

beforeAll(async () => {
  files = await loadInfra();
  const l = locals(files);
  const byGroup = l.config_by_group as Record<string, Record<string, unknown>>;
  groups = Object.fromEntries(Object.entries(byGroup).map(([g, m]) => [g, Object.keys(m)]));
  groupsOf = Object.fromEntries(
    Object.entries(l.config_groups as Record<string, unknown>).map(([h, list]) => [h, Array.isArray(list) ? list.map(String) : []]),
  );
  ownKeys = keysOf(l.config_own);
  // function_config is assembled from exactly these locals.
  expect(String(l.function_config)).toContain("local.config_by_group[g]");
  expect(String(l.function_config)).toContain("local.config_own[h]");
  expect(String(l.function_config)).toContain("if v != null");
});

describe("Terraform function config vs the zod schema", () => {
  it("configures each handler of the schema, and only those", () => {
    expect(Object.keys(groupsOf).sort()).toEqual([...HANDLERS].sort());
    for (const h of HANDLERS) expect(groupsOf[h]?.every((g) => g in groups)).toBe(true);
  });

  it("sets no key outside the schema, anywhere in infra/", () => {
    const known = new Set<string>(CONFIG_KEYS);
    const everywhere = [...allSource(files).matchAll(/AIDP_WATCH_[A-Z0-9_]+/g)].map((m) => m[0]);
    expect(everywhere.length).toBeGreaterThan(30);
    expect(everywhere.filter((k) => !known.has(k))).toEqual([]);
  });

  it("can set every schema key except the emulator endpoints, and never those", () => {
    const set = new Set(HANDLERS.flatMap((h) => tfKeys(h)));
    const missing = CONFIG_KEYS.filter((k) => !set.has(k) && !EMULATOR_ONLY.includes(k));
    expect(missing).toEqual([]);
    for (const k of EMULATOR_ONLY) {
      expect(set.has(k)).toBe(false);
      expect(CONFIG_KEYS).toContain(k);
    }
  });

  it("puts each key in one group only, and the handler selection in every function", () => {
    const all = Object.values(groups).flat();
    expect(all.length).toBe(new Set(all).size);
    expect(ownKeys.sort()).toEqual(["AIDP_WATCH_DEFAULT_TIMEOUT_MS", "AIDP_WATCH_HANDLER"]);
    expect(String(locals(files).config_own)).toMatch(/AIDP_WATCH_HANDLER\s*=\s*h\b/);
    for (const h of HANDLERS) {
      // Whatever Terraform sets, the adapter picks the same handler from the key or from the name.
      expect(selectHandler({ AIDP_WATCH_HANDLER: h }, HANDLERS)).toBe(h);
      expect(selectHandler({ FN_FN_NAME: `aidp-watch-${h}` }, HANDLERS)).toBe(h);
    }
  });

  it("gives every function the keys it cannot start without", () => {
    const defaults = loadConfig({});
    for (const h of HANDLERS) {
      let required: string[] = [];
      try {
        requireFor(h, defaults);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        required = err.problems.map((p) => p.split(":")[0] as string);
      }
      expect(required.length).toBeGreaterThan(0);
      expect(required.filter((k) => !tfKeys(h).includes(k))).toEqual([]);
    }
  });

  it("stays inside the 4 KB config limit with generous realistic values", () => {
    // The precondition in functions.tf enforces the limit at plan time; this
    // keeps the headroom visible: five platforms, five workspaces, a long link
    // template, 100-character OCIDs, 24 characters for every other value.
    const ocid = 100;
    const length: Record<string, number> = {
      AIDP_WATCH_PLATFORM_IDS: 5 * (ocid + 1),
      AIDP_WATCH_EXPORT_WORKSPACES: 5 * (ocid + 40),
      AIDP_WATCH_TOPIC_ID: ocid,
      AIDP_WATCH_CONSOLE_URL_TEMPLATE: 200,
      AIDP_WATCH_AIDP_ENDPOINT: 80,
    };
    for (const h of HANDLERS) {
      const bytes = tfKeys(h).reduce((n, k) => n + k.length + (length[k] ?? 24), 0);
      expect(bytes, h).toBeLessThan(4096);
    }
  });
});
