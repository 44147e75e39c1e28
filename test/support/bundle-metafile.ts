/** esbuild metafiles for the bundle-shape tests (test/unit/build/): what a build would write, and what it loads statically. */
import { build, type Metafile } from "esbuild";

/** The metafile of a build with `options`, nothing written. */
export async function metafileOf(options: object): Promise<Metafile> {
  return (await build({ ...options, write: false, metafile: true, sourcemap: false, logLevel: "silent" })).metafile;
}

/** The output files `roots` load through static imports (themselves included); dynamic imports are not followed. */
export function staticClosure(meta: Metafile, roots: string[]): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const imp of meta.outputs[f]?.imports ?? []) if (!imp.external && imp.kind === "import-statement") stack.push(imp.path);
  }
  return [...seen];
}

/** The source files bundled into `files`. */
export function inputsOf(meta: Metafile, files: string[]): string[] {
  return files.flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {}));
}
