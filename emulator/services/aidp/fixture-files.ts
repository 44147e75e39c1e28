/**
 * Finds `emulator/services/aidp/fixtures/` at run time, both from the
 * TypeScript sources (next to this file) and from the esbuild bundle
 * (`dist/cli.js`, where `import.meta.url` is the bundle: walk up to the
 * package root). `AIDP_EMULATOR_FIXTURES` overrides it.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const RELATIVE = join("emulator", "services", "aidp", "fixtures");

let cached: string | undefined;

export function fixturesDir(): string {
  if (cached) return cached;
  const override = process.env.AIDP_EMULATOR_FIXTURES;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = override ? [override] : [join(here, "fixtures")];
  for (let dir = here, i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, RELATIVE));
  const found = candidates.find((c) => existsSync(join(c, "SHA256SUMS")));
  if (!found) throw new Error(`AIDP emulator fixtures not found (looked in ${candidates.join(", ")})`);
  cached = found;
  return found;
}

export function readFixture(name: string): Buffer {
  return readFileSync(join(fixturesDir(), name));
}
