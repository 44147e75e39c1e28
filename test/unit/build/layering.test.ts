import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Dependencies point one way: `cli/` and `stack/` on top, then `console/` (the
 * console page both of them serve), `functions/` and `emulator/` below them,
 * `shared/` at the bottom. A folder may import its own
 * files and the folders listed for it; anything else (e.g. `stack/` importing
 * `cli/`, `shared/` importing a function) fails here, naming the import.
 */
const ROOT = resolve(import.meta.dirname, "../../..");
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: [],
  functions: ["shared"],
  emulator: ["shared"],
  console: ["emulator", "functions", "shared"],
  stack: ["console", "emulator", "functions", "shared"],
  cli: ["stack", "console", "emulator", "functions", "shared"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

/** Relative specifiers of static imports, re-exports and dynamic `import("…")`. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm)) found.push(m[1]!);
  return found;
}

describe("layering", () => {
  it("every import stays within its folder or points down", () => {
    const violations: string[] = [];
    for (const layer of Object.keys(MAY_IMPORT)) {
      for (const file of sourceFiles(layer)) {
        for (const spec of relativeImports(readFileSync(join(ROOT, file), "utf8"))) {
          const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).split(/[\\/]/)[0]!;
          if (target !== layer && !MAY_IMPORT[layer]!.includes(target)) violations.push(`${file} imports ${spec} (${layer} → ${target})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("sees the imports it checks", () => {
    expect(
      relativeImports(`import { a } from "../x.js";\nexport * from "./y.js";\nconst m = await import("../../z.js");\nimport "./side.js";`),
    ).toEqual(["../x.js", "./y.js", "../../z.js", "./side.js"]);
  });
});
