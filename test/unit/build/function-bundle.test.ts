import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { functionBuildOptions } from "../../../scripts/build-options.mjs";

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
    for (const heavy of ["node_modules/zod/", "node_modules/oci-common/", "node_modules/oci-objectstorage/", "node_modules/oci-ons/", "functions/poll/", "functions/track/", "functions/export/"]) {
      expect(inputs.filter((i) => i.includes(heavy)), heavy).toEqual([]);
    }
    const dynamic = (meta.outputs[entry![0]]?.imports ?? []).filter((i) => i.kind === "dynamic-import").map((i) => i.path);
    expect(dynamic.filter((p) => /chunks\/handler-/.test(p))).toHaveLength(3);
  });

  it("oci-objectstorage and oci-ons are chunks of their own, loaded when a client is built", () => {
    for (const pkg of ["oci-objectstorage", "oci-ons"]) {
      const holders = outputs().filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes(`node_modules/${pkg}/`)));
      expect(holders.map(([f]) => f.replace(/^.*\/chunks\//, "")), pkg).toEqual([expect.stringMatching(new RegExp(`^${pkg}-`))]);
    }
  });

  it("leaves out node-fetch, whatwg-url, tr46 and zod's translations", () => {
    const inputs = outputs().flatMap(([, o]) => Object.keys(o.inputs));
    for (const gone of ["node_modules/node-fetch/", "node_modules/isomorphic-fetch/", "node_modules/whatwg-url/", "node_modules/tr46/", "zod/v4/locales/fr.js"]) {
      expect(inputs.filter((i) => i.includes(gone)), gone).toEqual([]);
    }
    expect(inputs.some((i) => i.endsWith("zod/v4/locales/en.js"))).toBe(true);
  });
});

describe("node-fetch shim (scripts/shims/node-fetch.cjs)", () => {
  const shim = createRequire(import.meta.url)("../../../scripts/shims/node-fetch.cjs") as ((url: string, init?: Record<string, unknown>) => Promise<Response>) & {
    default: unknown;
    Headers: unknown;
    Request: unknown;
    Response: unknown;
  };

  it("is the global fetch, with node-fetch's exports", async () => {
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
    expect([shim.Headers, shim.Request, shim.Response]).toEqual([globalThis.Headers, globalThis.Request, globalThis.Response]);
  });

  it("refuses a request with a Node HTTP agent instead of silently dropping it", async () => {
    await expect(shim("http://127.0.0.1:9/", { agent: {} })).rejects.toThrow(/HTTP agent/);
  });
});
