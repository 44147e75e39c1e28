import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";

/** Helpers for the infra/ tests: the HCL as text and as hcl2json's JSON (references stay `${…}` strings). */
export const INFRA_DIR = join(import.meta.dirname, "..", "..", "..", "infra");

export interface TfFile {
  readonly name: string;
  readonly source: string;
  readonly json: Record<string, unknown>;
}

export async function loadInfra(): Promise<TfFile[]> {
  const names = readdirSync(INFRA_DIR)
    .filter((f) => f.endsWith(".tf"))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const source = readFileSync(join(INFRA_DIR, name), "utf8");
      return { name, source, json: (await parse(name, source)) as Record<string, unknown> };
    }),
  );
}

type Block = Record<string, unknown>;

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `resource "<type>" "<name>"` (or `data`) bodies across all files. */
export function blocks(files: readonly TfFile[], kind: "resource" | "data", type: string): Map<string, Block> {
  const out = new Map<string, Block>();
  for (const f of files) {
    const byName = asRecord(asRecord(f.json[kind])[type]);
    for (const [name, bodies] of Object.entries(byName)) {
      const body = Array.isArray(bodies) ? bodies[0] : bodies;
      out.set(name, asRecord(body));
    }
  }
  return out;
}

export function resource(files: readonly TfFile[], type: string, name: string): Block {
  const b = blocks(files, "resource", type).get(name);
  if (!b) throw new Error(`resource ${type}.${name} not found in infra/`);
  return b;
}

/** Every `locals` entry across all files. */
export function locals(files: readonly TfFile[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of files) {
    const ls = f.json.locals;
    for (const l of Array.isArray(ls) ? ls : []) Object.assign(out, asRecord(l));
  }
  return out;
}

/** Declared variables with their bodies. */
export function variables(files: readonly TfFile[]): Map<string, Block> {
  const out = new Map<string, Block>();
  for (const f of files) {
    for (const [name, bodies] of Object.entries(asRecord(f.json.variable))) {
      out.set(name, asRecord(Array.isArray(bodies) ? bodies[0] : bodies));
    }
  }
  return out;
}

/** The first body of a nested block (`lifecycle`, `actions`…), which hcl2json renders as a one-element array. */
export function nested(block: Block, key: string): Block {
  const v = block[key];
  return asRecord(Array.isArray(v) ? v[0] : v);
}

/** Every policy statement of a policy resource, whether written as a list or inside `concat(…)`. */
export function statements(policy: Block): string[] {
  const raw = policy.statements;
  const text = Array.isArray(raw) ? raw.join("\n") : String(raw);
  return [...text.matchAll(/Allow [^"\n]+/g)].map((m) => m[0].replace(/\\"/g, '"'));
}

export function allSource(files: readonly TfFile[]): string {
  return files.map((f) => f.source).join("\n");
}
