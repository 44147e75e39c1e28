// esbuild plugins that keep SDK code in the bundles but defer *initialising*
// it until something uses it.
//
// Why: the image starts from a V8 startup snapshot (functions/snapshot-entry.ts),
// and deserialising it is paid per heap object, before the FDK can listen. Every
// module the SDK requires at load puts its functions, prototypes and tables in
// that heap, whether or not a function ever calls them. A module's code costs
// the snapshot little while it is not initialised (esbuild wraps each CommonJS
// module in a function that runs on its first `require`), so these plugins only
// move the first `require` of some modules from "at load" to "at first use".
// Nothing is left out of the bundle: a path a call does take still works, and
// only pays that module's initialisation (microseconds) then.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Packages the SDK requires at module load that aidp-watch's calls do not use,
 * and what they export (a stand-in for a function must be callable). Each is
 * replaced, for every importer, by a stand-in that requires the real module on
 * first use (any property read, call or `new`).
 */
export const LAZY_PACKAGES = {
  // sshpk (through oci-common's signer and http-signature): Ed25519/Curve25519
  // keys only. OCI API keys and resource-principal session keys are RSA.
  tweetnacl: "object",
  // sshpk: ECDSA/ECDH keys only (`ecc-jsbn/lib/ec` is required on its own too).
  "ecc-jsbn": "object",
  "ecc-jsbn/lib/ec": "object",
  // oci-common: circuit breakers, which shared/oci/clients.ts disables for every client.
  opossum: "function",
};

/**
 * A CommonJS module standing in for `real` (a path or a built-in's name): it
 * requires the real module on first use and forwards every operation to it. An
 * `"object"` stand-in is a proxy of a plain object (property reads, writes,
 * `in`, keys); a `"function"` one can also be called and constructed.
 */
export const standIn = (real, kind) => {
  const load = `let real;const load=()=>(real??=require(${JSON.stringify(real)}));`;
  if (kind === "function") {
    return `${load}module.exports=new Proxy(function(){},{get:(_,k)=>load()[k],has:(_,k)=>k in load(),apply:(_,t,a)=>Reflect.apply(load(),t,a),construct:(_,a,n)=>Reflect.construct(load(),a,n===module.exports?load():n)});`;
  }
  return `${load}module.exports=new Proxy({},{get:(_,k)=>load()[k],has:(_,k)=>k in load(),set:(_,k,v)=>{load()[k]=v;return true},ownKeys:()=>Reflect.ownKeys(load()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(load(),k);return d&&{...d,configurable:true}}});`;
};

/** The stand-in plugin for a `{ specifier: "object" | "function" }` map. */
export function lazyPackagesFor(packages) {
  const names = Object.keys(packages).map((n) => n.replace(/[/.-]/g, "\\$&"));
  const filter = new RegExp(`^(${names.join("|")})$`);
  return {
    name: "lazy-packages",
    setup(b) {
      b.onResolve({ filter }, async (args) => {
        // `b.resolve` below comes back through this callback: let it find the real file.
        if (args.pluginData?.lazyReal) return undefined;
        const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { lazyReal: true } });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: "lazy-package", pluginData: { kind: packages[args.path] } };
      });
      b.onLoad({ filter: /.*/, namespace: "lazy-package" }, (args) => ({ contents: standIn(args.path, args.pluginData.kind), loader: "js", resolveDir: dirname(args.path) }));
    },
  };
}

export const lazyPackages = lazyPackagesFor(LAZY_PACKAGES);

/**
 * oci-common uses one function of jsonwebtoken, `decode` (reading the claims
 * of a resource-principal session token), but jsonwebtoken's index loads its
 * signing and verifying code too, with semver and seven lodash packages.
 * oci-common's `require("jsonwebtoken")` gets an object holding only
 * jsonwebtoken's own `decode.js`; the build fails if oci-common ever uses
 * another member, so an SDK upgrade cannot silently get `undefined`.
 */
export const jsonwebtokenDecodeOnly = {
  name: "jsonwebtoken-decode-only",
  setup(b) {
    b.onResolve({ filter: /^jsonwebtoken$/ }, async (args) => {
      if (!/[\\/]node_modules[\\/]oci-common[\\/]/.test(args.importer)) return undefined;
      const source = await readFile(args.importer, "utf8");
      const used = new Set([...source.matchAll(/\bjsonwebtoken_\d+\.default\.(\w+)/g)].map((m) => m[1]));
      const other = [...used].filter((m) => m !== "decode");
      if (other.length > 0 || !/\bjsonwebtoken_\d+ = __importDefault\(require\("jsonwebtoken"\)\)/.test(source)) {
        return { errors: [{ text: `${args.importer} uses jsonwebtoken beyond default.decode (${other.join(", ") || "unrecognised import"}): update scripts/lazy-modules.mjs` }] };
      }
      const decode = await b.resolve("jsonwebtoken/decode.js", { resolveDir: args.resolveDir, kind: "require-call" });
      if (decode.errors.length > 0) return { errors: decode.errors };
      return { path: decode.path, namespace: "jsonwebtoken-decode" };
    });
    b.onLoad({ filter: /.*/, namespace: "jsonwebtoken-decode" }, (args) => ({ contents: `module.exports={decode:require(${JSON.stringify(args.path)})};`, loader: "js", resolveDir: dirname(args.path) }));
  },
};

/**
 * The generated SDK packages' `lib/model/index.js` initialise every model
 * namespace (oci-objectstorage: 61, each with its serialisers) as soon as the
 * client is loaded; a call uses two or three. Each `exports.X = X.X` copy of a
 * model becomes a getter that initialises that model on first read. The build
 * fails if the file's shape is not the generated one (every require rewritten).
 */
export const lazySdkModels = {
  name: "lazy-sdk-models",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]oci-[a-z]+[\\/]lib[\\/]model[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      let rewritten = 0;
      const contents = source.replace(/^const (\w+) = __importStar\(require\(("\.\/[^"]+")\)\);\r?\nexports\.(\w+) = \1\.(\w+);$/gm, (_, _local, spec, name, member) => {
        rewritten++;
        return `Object.defineProperty(exports, "${name}", { enumerable: true, configurable: true, get: () => __importStar(require(${spec})).${member} });`;
      });
      const requires = (source.match(/\brequire\(/g) ?? []).length;
      if (rewritten !== requires) {
        return { errors: [{ text: `${args.path}: ${rewritten} of ${requires} model requires recognised: update scripts/lazy-modules.mjs` }] };
      }
      return { contents, loader: "js" };
    });
  },
};
