import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { functionBuildOptions, ROOT, snapshotBuildOptions } from "../../../scripts/build-options.mjs";

// The function bundle's shape is what keeps cold start small (bench/cold-start.ts):
// the entry must not statically reach the SDK or zod, each handler is its own
// chunk, and the SDK's unused fetch polyfill chain and zod's translations stay out.
describe("function bundle (scripts/build-options.mjs)", () => {
  let meta: Metafile;
  const outdir = join(tmpdir(), "aw-bundle-shape");

  beforeAll(async () => {
    meta = (await build({ ...functionBuildOptions(outdir), write: false, metafile: true, sourcemap: false, logLevel: "silent" })).metafile;
  }, 60_000);

  const outputs = () => Object.entries(meta.outputs).filter(([f]) => f.endsWith(".js"));
  const staticClosure = (root: string) => {
    const seen = new Set<string>();
    const stack = [root];
    while (stack.length > 0) {
      const f = stack.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const imp of meta.outputs[f]?.imports ?? []) if (!imp.external && imp.kind === "import-statement") stack.push(imp.path);
    }
    return [...seen];
  };

  it("the entry statically loads only the FDK and the adapter; handlers, zod and the SDK are dynamic chunks", () => {
    const entry = outputs().find(([, o]) => o.entryPoint?.endsWith("functions/entry.ts"));
    expect(entry).toBeDefined();
    const inputs = staticClosure(entry![0]).flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {}));
    expect(inputs.some((i) => i.includes("@fnproject/fdk"))).toBe(true);
    for (const heavy of ["node_modules/zod/", "node_modules/minipass", "scripts/shims/lazy-fetch.cjs", "node_modules/oci-common/", "node_modules/oci-objectstorage/", "node_modules/oci-ons/", "functions/poll/", "functions/track/", "functions/export/"]) {
      expect(inputs.filter((i) => i.includes(heavy)), heavy).toEqual([]);
    }
    const dynamic = (meta.outputs[entry![0]]?.imports ?? []).filter((i) => i.kind === "dynamic-import").map((i) => i.path);
    expect(dynamic.filter((p) => /chunks\/handler-/.test(p))).toHaveLength(3);
  });

  // Cold start: the image starts from a V8 startup snapshot, whose deserialisation is paid per heap
  // object, and zod's classic API costs ~3.5 ms of it by itself (its schemas also carry ~50 method
  // closures each). Code the functions run imports zod/mini through shared/schema/zod.ts; only
  // tooling (cli/, emulator/, stack/, test/) may use classic zod (`import { z } from "zod"`).
  it("reaches zod/mini, never zod's classic API, in the split function bundle and the snapshot bundle", async () => {
    const snapshot = (await build({ ...snapshotBuildOptions(outdir), write: false, metafile: true, sourcemap: false, logLevel: "silent" })).metafile;
    for (const [name, m] of [["function bundle", meta], ["snapshot bundle", snapshot]] as const) {
      // Every file the build read, even if tree-shaken away afterwards.
      const inputs = Object.keys(m.inputs);
      expect(inputs.filter((i) => i.includes("node_modules/zod/v4/classic/")), name).toEqual([]);
      expect(inputs.some((i) => i.includes("node_modules/zod/v4/mini/")), name).toBe(true);
    }
  }, 60_000);

  it("oci-objectstorage and oci-ons are chunks of their own, loaded when a client is built", () => {
    for (const pkg of ["oci-objectstorage", "oci-ons"]) {
      const holders = outputs().filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes(`node_modules/${pkg}/`)));
      expect(holders.map(([f]) => f.replace(/^.*\/chunks\//, "")), pkg).toEqual([expect.stringMatching(new RegExp(`^${pkg}-`))]);
    }
  });

  it("bundles minipass-fetch behind its lazy shim, without node-fetch, whatwg-url, encoding/iconv-lite, isomorphic-fetch or zod's translations", () => {
    const inputs = outputs().flatMap(([, o]) => Object.keys(o.inputs));
    for (const gone of ["/node-fetch/", "node_modules/isomorphic-fetch/", "node_modules/whatwg-url/", "node_modules/encoding/", "node_modules/iconv-lite/", "zod/v4/locales/fr.js"]) {
      expect(inputs.filter((i) => i.includes(gone)), gone).toEqual([]);
    }
    expect(inputs.some((i) => i.startsWith("node_modules/minipass-fetch/lib/"))).toBe(true);
    expect(inputs).toContain("scripts/shims/lazy-fetch.cjs");
    expect(inputs).toContain("scripts/shims/no-encoding.cjs");
    expect(inputs).toContain("scripts/shims/lazy-headers.cjs");
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
      const { entryPoints: _entries, ...options } = functionBuildOptions(outdir);
      const out = await build({ ...options, stdin: { contents, resolveDir: ROOT, sourcefile: "probe.mjs", loader: "js" }, splitting: false, write: false, sourcemap: false, minify: false, logLevel: "silent" });
      const code = out.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
      expect(code).toMatch(/"use strict";\s*var Headers = require_lazy_headers\(\)\.Headers;/);
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

describe("fetch shim (scripts/shims/lazy-fetch.cjs)", () => {
  const shimPath = fileURLToPath(new URL("../../../scripts/shims/lazy-fetch.cjs", import.meta.url));
  const shim = createRequire(import.meta.url)(shimPath) as ((url: string, init?: Record<string, unknown>) => Promise<{ text(): Promise<string> }>) & {
    default: unknown;
    Headers: unknown;
    Request: unknown;
    Response: unknown;
    FetchError: unknown;
  };

  it("is minipass-fetch, with its exports", async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url} ${req.headers["x-test"]}`));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await shim(`http://127.0.0.1:${port}/a?b=1`, { method: "POST", headers: { "x-test": "yes" }, body: "x" });
      expect(await res.text()).toBe("POST /a?b=1 yes");
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(shim.default).toBe(shim);
    const real = createRequire(import.meta.url)("minipass-fetch") as Record<string, unknown>;
    expect([shim.Headers, shim.Request, shim.Response, shim.FetchError]).toEqual([real.Headers, real.Request, real.Response, real.FetchError]);
    expect(shim.Headers).not.toBe(globalThis.Headers);
  });

  it("loads neither minipass-fetch nor node:http until first used (so a startup snapshot can hold it)", () => {
    // A fresh process: this worker has loaded both long ago.
    const script = `const s=require(${JSON.stringify(shimPath)});const before=[process.moduleLoadList.includes("NativeModule http"),Object.keys(require.cache).some(k=>k.includes("minipass-fetch/lib"))];s.Headers;const after=[process.moduleLoadList.includes("NativeModule http"),Object.keys(require.cache).some(k=>k.includes("minipass-fetch/lib"))];console.log(JSON.stringify({before,after}))`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ before: [false, false], after: [true, true] });
  });
});
