import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { appBuildOptions, entryBuildOptions, ROOT } from "../../../scripts/build-options.mjs";
import { inputsOf, metafileOf, staticClosure as closureIn } from "../../support/bundle-metafile.js";

// The function bundle's shape is what keeps cold start small (docs/cold-start.md):
// the CommonJS entry holds only the FDK and the launcher, the app must not
// statically reach the SDK or zod, each handler is its own chunk, and the SDK's
// unused fetch polyfill chain and zod's translations stay out.
describe("function bundle (scripts/build-options.mjs)", () => {
  let entryMeta: Metafile;
  let meta: Metafile;
  const outdir = join(tmpdir(), "aw-bundle-shape");

  beforeAll(async () => {
    [entryMeta, meta] = await Promise.all([metafileOf(entryBuildOptions(outdir)), metafileOf(appBuildOptions(outdir))]);
  }, 60_000);

  const outputs = () => Object.entries(meta.outputs).filter(([f]) => f.endsWith(".mjs"));
  const staticClosure = (root: string) => closureIn(meta, [root]);

  it("func.cjs holds the FDK and the launcher, nothing else, and imports the app's chunk", () => {
    const [entry, ...others] = Object.entries(entryMeta.outputs).filter(([f]) => f.endsWith(".cjs"));
    expect(entry?.[0]).toMatch(/func\.cjs$/);
    expect(others).toEqual([]);
    const inputs = Object.keys(entry![1].inputs);
    expect(inputs.filter((i) => !i.startsWith("node_modules/@fnproject/fdk/"))).toEqual(["functions/entry.ts"]);
    expect(entry![1].imports.filter((i) => !i.path.startsWith("node:") && !/^[a-z_]+$/.test(i.path))).toEqual([
      { path: "./chunks/app.mjs", kind: "dynamic-import", external: true },
    ]);
  });

  it("the app statically loads only the adapter and logging; handlers, zod and the SDK are dynamic chunks", () => {
    const entry = outputs().find(([, o]) => o.entryPoint?.endsWith("functions/app.ts"));
    expect(entry).toBeDefined();
    const inputs = inputsOf(meta, staticClosure(entry![0]));
    expect(inputs.some((i) => i.endsWith("functions/fdk-adapter.ts"))).toBe(true);
    for (const heavy of [
      "@fnproject/fdk",
      "node_modules/zod/",
      "node_modules/minipass",
      "node_modules/oci-common/",
      "node_modules/oci-objectstorage/",
      "node_modules/oci-ons/",
      "functions/poll/",
      "functions/track/",
      "functions/export/",
    ]) {
      expect(
        inputs.filter((i) => i.includes(heavy)),
        heavy,
      ).toEqual([]);
    }
    const dynamic = (meta.outputs[entry![0]]?.imports ?? []).filter((i) => i.kind === "dynamic-import").map((i) => i.path);
    expect(dynamic.filter((p) => /chunks\/handler-/.test(p))).toHaveLength(3);
  });

  // An invalid request is answered by the handler's input validation before oci-common, the auth
  // providers and the SDK clients load: functions/default-services.ts imports them on first use.
  it.each(["poll", "track", "export"])("the %s handler's chunk does not statically load oci-common or the SDK", (h) => {
    const chunk = outputs().find(([, o]) => Object.keys(o.inputs).some((i) => i.endsWith(`functions/${h}/handler.ts`)));
    expect(chunk).toBeDefined();
    const inputs = inputsOf(meta, staticClosure(chunk![0]));
    expect(inputs.some((i) => i.startsWith(`functions/${h}/`))).toBe(true);
    for (const heavy of ["node_modules/oci-common/", "node_modules/sshpk/", "node_modules/minipass-fetch/", "functions/services.ts"]) {
      expect(
        inputs.filter((i) => i.includes(heavy)),
        heavy,
      ).toEqual([]);
    }
  });

  it("the export handler's chunk checks its input before loading the export path and the decoders", () => {
    const chunk = outputs().find(([, o]) => Object.keys(o.inputs).some((i) => i.endsWith("functions/export/handler.ts")));
    const inputs = inputsOf(meta, staticClosure(chunk![0]));
    expect(inputs).toContain("functions/export/export-input.ts");
    for (const heavy of ["functions/export/export-batch.ts", "shared/export/export-task-run.ts", "shared/decode/decode-part.ts"]) {
      expect(inputs, heavy).not.toContain(heavy);
    }
  });

  // Cold start: zod's classic API gives every schema instance ~50 method closures of its own, built
  // when the handler's chunk loads. Code the functions run imports zod/mini through shared/schema/zod.ts;
  // only tooling (cli/, emulator/, stack/, test/) may use classic zod (`import { z } from "zod"`).
  it("reaches zod/mini, never zod's classic API", () => {
    // Every file the build read, even if tree-shaken away afterwards.
    const inputs = Object.keys(meta.inputs);
    expect(inputs.filter((i) => i.includes("node_modules/zod/v4/classic/"))).toEqual([]);
    expect(inputs.some((i) => i.includes("node_modules/zod/v4/mini/"))).toBe(true);
  });

  it("puts the bzip2 and .Z workers beside the chunks, as ES modules (shared/decode/worker-script.ts looks for them there)", () => {
    for (const name of ["bzip2-worker", "lzw-worker"]) {
      const worker = outputs().find(([, o]) => o.entryPoint?.endsWith(`shared/decode/${name}.ts`));
      expect(worker?.[0], name).toMatch(new RegExp(`/chunks/${name}\\.mjs$`));
    }
  });

  it("oci-objectstorage and oci-ons are chunks of their own, loaded when a client is built", () => {
    for (const pkg of ["oci-objectstorage", "oci-ons"]) {
      const holders = outputs().filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes(`node_modules/${pkg}/`)));
      expect(
        holders.map(([f]) => f.replace(/^.*\/chunks\//, "")),
        pkg,
      ).toEqual([expect.stringMatching(new RegExp(`^${pkg}-`))]);
    }
  });

  it("bundles one minipass-fetch, without node-fetch's nested copies, whatwg-url, encoding/iconv-lite, isomorphic-fetch or zod's translations", () => {
    const inputs = outputs().flatMap(([, o]) => Object.keys(o.inputs));
    for (const gone of [
      "/node-fetch/",
      "node_modules/isomorphic-fetch/",
      "node_modules/whatwg-url/",
      "node_modules/encoding/",
      "node_modules/iconv-lite/",
      "zod/v4/locales/fr.js",
    ]) {
      expect(
        inputs.filter((i) => i.includes(gone)),
        gone,
      ).toEqual([]);
    }
    expect(inputs.some((i) => i.startsWith("node_modules/minipass-fetch/lib/"))).toBe(true);
    expect(inputs).toContain("scripts/shims/no-encoding.cjs");
    expect(inputs.some((i) => i.endsWith("zod/v4/locales/en.js"))).toBe(true);
  });

  it("gives oci-common's request headers minipass-fetch's `Headers`, not the global one, and keeps its files strict", async () => {
    // Built from a probe that composes a request the way every SDK call does (oci-common's request-generator).
    const contents = [
      'import minipassFetch from "minipass-fetch";',
      'import rg from "oci-common/lib/request-generator.js";',
      'export const req = await rg.composeRequest({ baseEndpoint: "http://127.0.0.1:9", path: "/p", method: "GET", defaultHeaders: { a: "1" }, headerParams: {} });',
      "export const isMinipass = req.headers instanceof minipassFetch.Headers && !(req.headers instanceof globalThis.Headers);",
    ].join("\n");
    {
      const { entryPoints: _entries, outExtension: _ext, ...options } = appBuildOptions(outdir);
      const out = await build({
        ...options,
        stdin: { contents, resolveDir: ROOT, sourcefile: "probe.mjs", loader: "js" },
        splitting: false,
        write: false,
        sourcemap: false,
        minify: false,
        logLevel: "silent",
      });
      const code = out.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
      expect(code).toMatch(/"use strict";\s*var Headers = require_lib\d*\(\)\.Headers;/);
      const file = join(tmpdir(), `aw-headers-probe-${process.pid}.out.mjs`);
      writeFileSync(file, code);
      try {
        const mod = (await import(file)) as { req: { headers: { get(n: string): string | null } }; isMinipass: boolean };
        expect(mod.req.headers.get("a")).toBe("1");
        expect(mod.isMinipass).toBe(true);
      } finally {
        rmSync(file, { force: true });
      }
    }
  });
});
