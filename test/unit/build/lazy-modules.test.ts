import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build, type Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, snapshotBuildOptions } from "../../../scripts/build-options.mjs";
import { jsonwebtokenDecodeOnly, lazyPackagesFor, lazySdkModels } from "../../../scripts/lazy-modules.mjs";

// scripts/lazy-modules.mjs defers initialising SDK code the functions' calls
// don't use, to keep the startup snapshot's heap small (docs/cold-start.md).
// Each plugin is checked on throw-away packages (that its stand-ins behave like
// the real module and initialise it only on first use, and that it refuses a
// shape it doesn't know) and on the real snapshot bundle.

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "aw-lazy-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeFiles(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), text);
  }
}

/** Bundles `entry` (CommonJS, resolved in the work dir) with `plugins`, runs it in a fresh node, returns its JSON output. */
async function bundleAndRun(entry: string, plugins: Plugin[]): Promise<unknown> {
  const out = await build({
    stdin: { contents: entry, resolveDir: work, sourcefile: "entry.cjs", loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "silent",
    plugins,
  });
  const file = join(work, `out-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(file, out.outputFiles[0]?.text ?? "");
  const run = spawnSync(process.execPath, [file], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

async function buildError(entry: string, plugins: Plugin[]): Promise<string> {
  try {
    await build({ stdin: { contents: entry, resolveDir: work, sourcefile: "entry.cjs", loader: "js" }, bundle: true, platform: "node", write: false, logLevel: "silent", plugins });
  } catch (e) {
    return String(e);
  }
  throw new Error("the build succeeded");
}

describe("lazy package stand-ins", () => {
  beforeAll(() => {
    writeFiles({
      "node_modules/fake-class/index.js":
        "globalThis.inits = (globalThis.inits ?? 0) + 1;\nclass Breaker { constructor(x) { this.x = x; } get doubled() { return this.x * 2; } }\nBreaker.level = 3;\nmodule.exports = Breaker;\n",
      "node_modules/fake-obj/index.js": "globalThis.inits = (globalThis.inits ?? 0) + 1;\nexports.sign = (m) => \"signed \" + m;\nexports.lowlevel = { n: 1 };\n",
    });
  });

  it("initialise the real module on first use, and behave like it (call, new, instanceof, statics, keys, writes)", async () => {
    const entry = [
      'const Breaker = require("fake-class"); const nacl = require("fake-obj");',
      "const atLoad = globalThis.inits ?? 0;",
      "const b = new Breaker(21); const afterNew = globalThis.inits;",
      "class Sub extends Breaker {} const s = new Sub(1);",
      "nacl.extra = 5;",
      "console.log(JSON.stringify({ atLoad, afterNew, all: globalThis.inits, doubled: b.doubled, isInstance: b instanceof Breaker, sub: s instanceof Sub && s instanceof Breaker && s.doubled, level: Breaker.level, signed: nacl.sign('m'), keys: Object.keys(nacl), has: 'lowlevel' in nacl, extra: nacl.extra }));",
    ].join("\n");
    const out = await bundleAndRun(entry, [lazyPackagesFor({ "fake-class": "function", "fake-obj": "object" })]);
    expect(out).toEqual({ atLoad: 0, afterNew: 1, all: 2, doubled: 42, isInstance: true, sub: 2, level: 3, signed: "signed m", keys: ["sign", "lowlevel", "extra"], has: true, extra: 5 });
  });

  it("stand in for every importer, and the real module initialises once however many there are", async () => {
    // fake-user requires fake-obj at its own load, as sshpk requires tweetnacl.
    writeFiles({ "node_modules/fake-user/index.js": 'const nacl = require("fake-obj");\nmodule.exports = () => nacl.sign("u");\n' });
    const entry = 'const user = require("fake-user"); const nacl = require("fake-obj"); const atLoad = globalThis.inits ?? 0; const a = user(); const b = nacl.sign("e"); console.log(JSON.stringify({ atLoad, a, b, inits: globalThis.inits }));';
    expect(await bundleAndRun(entry, [lazyPackagesFor({ "fake-obj": "object" })])).toEqual({ atLoad: 0, a: "signed u", b: "signed e", inits: 1 });
  });
});

describe("jsonwebtoken, decode only", () => {
  it("gives oci-common jsonwebtoken's own decode, and refuses a build where oci-common uses anything else", async () => {
    writeFiles({
      "node_modules/oci-common/lib/ok.js": 'const jsonwebtoken_1 = __importDefault(require("jsonwebtoken"));\nfunction __importDefault(m) { return m && m.__esModule ? m : { default: m }; }\nmodule.exports = (t) => jsonwebtoken_1.default.decode(t, { complete: true });\n',
      "node_modules/oci-common/lib/bad.js": 'const jsonwebtoken_1 = __importDefault(require("jsonwebtoken"));\nfunction __importDefault(m) { return m && m.__esModule ? m : { default: m }; }\nmodule.exports = (t) => jsonwebtoken_1.default.verify(t, "k");\n',
    });
    const token = ["eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", Buffer.from(JSON.stringify({ sub: "fn", exp: 5 })).toString("base64url"), "c2ln"].join(".");
    // Resolve jsonwebtoken from the project (the fake oci-common has none of its own).
    const okEntry = `const decode = require("./node_modules/oci-common/lib/ok.js"); console.log(JSON.stringify(decode(${JSON.stringify(token)})));`;
    const resolveFromRoot: Plugin = { name: "root-jwt", setup: (b) => b.onResolve({ filter: /^jsonwebtoken\/decode\.js$/ }, () => ({ path: join(ROOT, "node_modules/jsonwebtoken/decode.js") })) };
    expect(await bundleAndRun(okEntry, [jsonwebtokenDecodeOnly, resolveFromRoot])).toEqual({ header: { alg: "RS256", typ: "JWT" }, payload: { sub: "fn", exp: 5 }, signature: "c2ln" });
    const error = await buildError('require("./node_modules/oci-common/lib/bad.js");', [jsonwebtokenDecodeOnly, resolveFromRoot]);
    expect(error).toContain("uses jsonwebtoken beyond default.decode (verify)");
  });
});

describe("lazy SDK models", () => {
  const header = [
    '"use strict";',
    "var __importStar = (this && this.__importStar) || function (mod) { if (mod && mod.__esModule) return mod; var r = {}; for (var k in mod) r[k] = mod[k]; r.default = mod; return r; };",
    'Object.defineProperty(exports, "__esModule", { value: true });',
    "exports.Tier = exports.Bucket = void 0;",
  ].join("\n");
  const model = (name: string) => `"use strict";\nglobalThis.models = [...(globalThis.models ?? []), "${name}"];\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.${name} = void 0;\nvar ${name};\n(function (${name}) { function getJsonObj(o) { return { ...o, via: "${name}" }; } ${name}.getJsonObj = getJsonObj; })(${name} = exports.${name} || (exports.${name} = {}));\n`;

  it("initialise each model on its first read, with the same exports", async () => {
    writeFiles({
      "node_modules/oci-fake/lib/model/index.js": `${header}\nconst Bucket = __importStar(require("./bucket"));\nexports.Bucket = Bucket.Bucket;\nconst Tier = __importStar(require("./tier"));\nexports.Tier = Tier.Tier;\n`,
      "node_modules/oci-fake/lib/model/bucket.js": model("Bucket"),
      "node_modules/oci-fake/lib/model/tier.js": model("Tier"),
    });
    const entry = 'const m = require("oci-fake/lib/model"); const atLoad = globalThis.models ?? []; const json = m.Bucket.getJsonObj({ name: "b" }); console.log(JSON.stringify({ atLoad, json, loaded: globalThis.models, keys: Object.keys(m) }));';
    expect(await bundleAndRun(entry, [lazySdkModels])).toEqual({ atLoad: [], json: { name: "b", via: "Bucket" }, loaded: ["Bucket"], keys: ["Bucket", "Tier"] });
  });

  it("refuses an index whose shape it does not know, rather than leave a model eager or missing", async () => {
    writeFiles({ "node_modules/oci-odd/lib/model/index.js": `${header}\nconst Bucket = require("./bucket");\nexports.Bucket = Bucket.Bucket;\n`, "node_modules/oci-odd/lib/model/bucket.js": model("Bucket") });
    expect(await buildError('require("oci-odd/lib/model");', [lazySdkModels])).toContain("0 of 1 model requires recognised");
  });
});

describe("the snapshot bundle", () => {
  it("holds tweetnacl, ecc-jsbn and opossum behind stand-ins, jsonwebtoken's decode without its signing code, and lazy SDK models that still serialise", async () => {
    const result = await build({ ...snapshotBuildOptions(join(work, "snap")), write: false, metafile: true, sourcemap: false, logLevel: "silent" });
    const inputs = Object.keys(result.metafile.inputs);
    for (const pkg of ["tweetnacl/", "ecc-jsbn/index.js", "ecc-jsbn/lib/ec.js", "opossum/index.js"]) {
      expect(inputs.filter((i) => i.startsWith("lazy-package:") && i.includes(`node_modules/${pkg}`)), pkg).toHaveLength(1);
    }
    expect(inputs.some((i) => i.endsWith("node_modules/jsonwebtoken/decode.js"))).toBe(true);
    for (const gone of ["node_modules/jsonwebtoken/sign.js", "node_modules/jsonwebtoken/verify.js", "node_modules/semver/", "node_modules/lodash."]) {
      expect(inputs.filter((i) => i.includes(gone)), gone).toEqual([]);
    }
    // The real generated models, through the plugin: a request body serialises as before.
    const probe = 'const os = require("oci-objectstorage"); console.log(JSON.stringify(os.models.CreateBucketDetails.getJsonObj({ name: "b", compartmentId: "c", metadata: { k: "v" } })));';
    const { plugins, alias } = snapshotBuildOptions(work);
    const out = await build({ stdin: { contents: probe, resolveDir: ROOT, sourcefile: "probe.cjs", loader: "js" }, bundle: true, platform: "node", format: "cjs", write: false, logLevel: "silent", plugins, alias });
    const file = join(work, "sdk-probe.cjs");
    writeFileSync(file, out.outputFiles[0]?.text ?? "");
    const run = spawnSync(process.execPath, [file], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: "b", compartmentId: "c", metadata: { k: "v" } });
  }, 60_000);
});
