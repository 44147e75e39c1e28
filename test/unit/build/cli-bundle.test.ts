import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_CHUNK_PREFIX, cliBuildOptions } from "../../../scripts/build-options.mjs";
import { inputsOf as inputsIn, metafileOf, staticClosure as closureIn } from "../../support/bundle-metafile.js";

// The CLI bundle is split so each command compiles only its own code: `aidp-watch decode` must not load the
// emulator, the local stack, the console or the OCI SDK (cli/registry.ts imports every command lazily).
describe("CLI bundle (scripts/build-options.mjs)", () => {
  let meta: Metafile;
  const outdir = join(tmpdir(), "aw-cli-bundle-shape");

  beforeAll(async () => {
    meta = await metafileOf(cliBuildOptions(outdir));
  }, 60_000);

  const js = () => Object.keys(meta.outputs).filter((f) => f.endsWith(".js"));
  const name = (f: string) => f.slice(f.lastIndexOf("/") + 1);
  const inputsOf = (files: string[]) => inputsIn(meta, files);
  const staticClosure = (roots: string[]) => closureIn(meta, roots);
  const entry = (source: string) => js().find((f) => meta.outputs[f]?.entryPoint?.endsWith(source));
  const chunkOf = (source: string) => js().find((f) => Object.keys(meta.outputs[f]?.inputs ?? {}).some((i) => i.endsWith(source)));

  it("writes cli.js, bzip2-worker.js and lzw-worker.js as entries and every other file with the chunk prefix, all in one folder", () => {
    expect(name(entry("cli/main.ts") ?? "")).toBe("cli.js");
    expect(name(entry("shared/decode/bzip2-worker.ts") ?? "")).toBe("bzip2-worker.js");
    expect(name(entry("shared/decode/lzw-worker.ts") ?? "")).toBe("lzw-worker.js");
    const folders = new Set(js().map((f) => f.slice(0, f.lastIndexOf("/"))));
    expect(folders.size).toBe(1);
    const others = js()
      .map(name)
      .filter((n) => n !== "cli.js" && n !== "bzip2-worker.js" && n !== "lzw-worker.js");
    expect(others.length).toBeGreaterThan(0);
    for (const n of others) expect(n.startsWith(CLI_CHUNK_PREFIX), n).toBe(true);
  });

  it("cli.js statically loads only the registry and logging; every command is a dynamic import", () => {
    const cli = entry("cli/main.ts") as string;
    const inputs = inputsOf(staticClosure([cli]));
    expect(inputs).toContain("cli/registry.ts");
    expect(inputs.filter((i) => i.startsWith("cli/commands/") || i.startsWith("node_modules/"))).toEqual([]);
  });

  it("the decode command loads neither the emulator, the stack, the console nor the OCI SDK", () => {
    const decode = chunkOf("cli/commands/decode.ts") as string;
    expect(decode).toBeDefined();
    const inputs = inputsOf(staticClosure([entry("cli/main.ts") as string, decode]));
    expect(inputs.some((i) => i.endsWith("shared/decode/decompress.ts"))).toBe(true);
    for (const heavy of [
      "emulator/",
      "stack/",
      "console/",
      "functions/",
      "node_modules/oci-",
      "node_modules/minipass",
      "node_modules/sshpk/",
    ]) {
      expect(
        inputs.filter((i) => i.includes(heavy)),
        heavy,
      ).toEqual([]);
    }
  });
});
