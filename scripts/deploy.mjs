#!/usr/bin/env node
// Builds the function bundle and ships it with the fn CLI (docs/deploy.md).
//
//   node scripts/deploy.mjs --app <app> [--registry <r>] [--tag <t>] [--dry-run] [--json]
//   node scripts/deploy.mjs --push-only --registry <r> [--tag <t>]   (first deploy, before terraform apply)
//
// The top-level func.yaml + Dockerfile are the one source. `fn deploy` names
// the function and the image repository after func.yaml's `name`, so each
// function needs its own func.yaml: this script stages one build context per
// function (a copy of func.yaml with `name`/`version` replaced, the Dockerfile,
// .dockerignore and the bundle) in a temp directory and runs `fn deploy` there.
// The three contexts are byte-identical apart from func.yaml, which is not
// copied into the image, so Docker's layer cache makes all three the same
// image (same digest) under three repository names.
//
// Terraform owns memory, timeout and config; fn deploy only changes the image
// (func.yaml sets nothing else, and fn only overrides fields that are set).
//
// Architecture: the image must match the application's shape (Terraform
// application_shape: GENERIC_X86 = linux/amd64, GENERIC_ARM = linux/arm64),
// also when this runs on an ARM laptop. --push-only builds with
// `docker buildx build --platform <p> --push`; `fn deploy` builds with the
// docker CLI, which honours DOCKER_DEFAULT_PLATFORM, set here to <p>.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HANDLERS = ["poll", "track", "export"];
/** Image platforms by Functions application shape: GENERIC_X86 → linux/amd64, GENERIC_ARM → linux/arm64. */
const PLATFORMS = ["linux/amd64", "linux/arm64"];
/**
 * Files and folders (trailing `/`) of one build context, relative to the
 * repository root (see .dockerignore): the function bundle is func.cjs plus the
 * chunks it imports on demand.
 */
const CONTEXT_FILES = ["Dockerfile", ".dockerignore", "dist/func.cjs", "dist/func.cjs.map", "dist/chunks/"];

const USAGE = `usage: node scripts/deploy.mjs --app <app> [options]
       node scripts/deploy.mjs --push-only --registry <registry> [options]

  --app <name>         Functions application (Terraform output application_name); runs fn deploy
  --push-only          build and push the images only (first deploy: Terraform creates the functions)
  --registry <r>       OCIR path, e.g. iad.ocir.io/<namespace>/aidp-watch (default: $FN_REGISTRY, else the fn context's)
  --tag <t>            image tag (default: <package version>-<git sha>[-dirty.<utc time>])
  --prefix <p>         function name prefix = Terraform name_prefix (default: aidp-watch)
  --functions <list>   comma-separated subset of ${HANDLERS.join(",")} (default: all)
  --run-image <image>  base image (default: the Dockerfile's pinned fnproject/node tag; a digest pins harder)
  --platform <p>       image architecture: linux/amd64 (default; application_shape GENERIC_X86) or linux/arm64 (GENERIC_ARM)
  --skip-build         use the existing dist/func.cjs and dist/chunks/
  --out <dir>          where to stage the build contexts (default: a new temp directory)
  --dry-run            print what would run, change nothing
  --json               with --dry-run: print the plan as JSON
`;

class DeployError extends Error {}

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      app: { type: "string" },
      "push-only": { type: "boolean", default: false },
      registry: { type: "string" },
      tag: { type: "string" },
      prefix: { type: "string", default: "aidp-watch" },
      functions: { type: "string", default: HANDLERS.join(",") },
      "run-image": { type: "string" },
      platform: { type: "string", default: "linux/amd64" },
      "skip-build": { type: "boolean", default: false },
      out: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true };
  const pushOnly = values["push-only"];
  if (!pushOnly && !values.app) throw new DeployError("--app <application> is required (or --push-only for the first deploy)");
  if (pushOnly && values.app) throw new DeployError("--push-only and --app exclude each other");
  const registry = values.registry ?? (process.env.FN_REGISTRY || undefined);
  if (pushOnly && !registry) throw new DeployError("--push-only needs --registry (or FN_REGISTRY): docker push needs the full image name");
  if (registry !== undefined && !/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]*[a-z0-9]$/.test(registry)) {
    throw new DeployError(`--registry ${registry}: expected <host>/<namespace>[/<repo prefix>] without a trailing slash`);
  }
  if (!/^[a-z][a-z0-9-]{0,29}$/.test(values.prefix))
    throw new DeployError(`--prefix ${values.prefix}: lower-case letters, digits and dashes`);
  const functions = values.functions
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = functions.filter((f) => !HANDLERS.includes(f));
  if (functions.length === 0 || unknown.length > 0)
    throw new DeployError(`--functions: expected a subset of ${HANDLERS.join(",")}, got ${values.functions}`);
  if (values.tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(values.tag))
    throw new DeployError(`--tag ${values.tag}: not a valid image tag`);
  if (values.json && !values["dry-run"]) throw new DeployError("--json is only for --dry-run");
  if (!PLATFORMS.includes(values.platform))
    throw new DeployError(
      `--platform ${values.platform}: expected ${PLATFORMS.join(" or ")} (the application's shape; a GENERIC_X86_ARM application needs a multi-arch image, which this script does not build)`,
    );
  return {
    help: false,
    app: values.app,
    pushOnly,
    registry,
    tag: values.tag,
    prefix: values.prefix,
    functions,
    runImage: values["run-image"],
    platform: values.platform,
    skipBuild: values["skip-build"],
    out: values.out,
    dryRun: values["dry-run"],
    json: values.json,
  };
}

/** Reads the flat top-level keys of func.yaml (the subset this repository uses; comments allowed). */
export function readFlatYaml(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** func.yaml for one function: the top-level file with `name` and `version` replaced, comments kept. */
export function funcYamlFor(source, name, version) {
  let seen = 0;
  const lines = source.split("\n").map((line) => {
    if (/^name:/.test(line)) {
      seen++;
      return `name: ${name}`;
    }
    if (/^version:/.test(line)) {
      seen++;
      return `version: ${version}`;
    }
    return line;
  });
  if (seen !== 2) throw new DeployError("func.yaml must have exactly one top-level `name:` and one `version:` line");
  return `# GENERATED by scripts/deploy.mjs from the top-level func.yaml; do not edit.\n${lines.join("\n")}`;
}

function git(args) {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** A tag that changes with the code: re-pushing one tag would leave running functions on the old digest. */
function defaultTag(version) {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const sha = git(["rev-parse", "--short=7", "HEAD"]);
  if (!sha) return `${version}-${stamp}`;
  const dirty = (git(["status", "--porcelain", "--untracked-files=no"]) ?? "") !== "";
  return dirty ? `${version}-${sha}-dirty.${stamp}` : `${version}-${sha}`;
}

/** Everything the deploy will do, as data (printed by --dry-run, executed otherwise). */
export function makePlan(opts) {
  const source = readFileSync(join(ROOT, "func.yaml"), "utf8");
  const ff = readFlatYaml(source);
  if (ff.schema_version !== "20180708") throw new DeployError(`func.yaml: schema_version must be 20180708, got ${ff.schema_version}`);
  if (ff.runtime !== "docker") throw new DeployError(`func.yaml: runtime must be docker (the Dockerfile), got ${ff.runtime}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const tag = opts.tag ?? defaultTag(pkg.version);
  const stageRoot = opts.out ? resolve(opts.out) : "<temp dir>";
  const buildArgs = opts.runImage ? ["--build-arg", `RUN_IMAGE=${opts.runImage}`] : [];
  // fn runs the docker CLI, which builds for DOCKER_DEFAULT_PLATFORM.
  const env = { ...(opts.registry ? { FN_REGISTRY: opts.registry } : {}), DOCKER_DEFAULT_PLATFORM: opts.platform };
  const steps = [];
  if (!opts.skipBuild) steps.push({ cwd: ROOT, command: ["node", "scripts/build.mjs"], env: {} });
  const functions = opts.functions.map((handler) => {
    const name = `${opts.prefix}-${handler}`;
    const dir = join(stageRoot, name);
    const image = `${opts.registry ?? "<fn context registry>"}/${name}:${tag}`;
    return { handler, name, dir, image, funcYaml: funcYamlFor(source, name, tag) };
  });
  for (const f of functions) {
    if (opts.pushOnly) {
      // buildx builds for --platform whatever the host is (an ARM laptop too), and pushes.
      steps.push({
        cwd: f.dir,
        command: ["docker", "buildx", "build", "--platform", opts.platform, ...buildArgs, "--tag", f.image, "--push", "."],
        env: {},
      });
    } else {
      // --no-bump: the tag comes from this script, and func.yaml is a generated copy.
      steps.push({ cwd: f.dir, command: ["fn", "deploy", "--app", opts.app, "--no-bump", "--verbose", ...buildArgs], env });
    }
  }
  return {
    mode: opts.pushOnly ? "push-only" : "deploy",
    app: opts.app ?? null,
    registry: opts.registry ?? null,
    tag,
    platform: opts.platform,
    stageRoot,
    contextFiles: CONTEXT_FILES,
    functions,
    steps,
  };
}

/** Writes one build context per function (see the header comment). */
function stage(plan) {
  for (const f of plan.functions) {
    for (const rel of CONTEXT_FILES) {
      const from = join(ROOT, rel);
      if (!existsSync(from)) throw new DeployError(`${rel} is missing${rel.startsWith("dist/") ? " (run npm run build)" : ""}`);
      mkdirSync(dirname(join(f.dir, rel)), { recursive: true });
      if (rel.endsWith("/")) cpSync(from, join(f.dir, rel), { recursive: true });
      else copyFileSync(from, join(f.dir, rel));
    }
    writeFileSync(join(f.dir, "func.yaml"), f.funcYaml);
  }
}

function run(step) {
  process.stderr.write(`$ (cd ${step.cwd} && ${formatEnv(step.env)}${step.command.join(" ")})\n`);
  const r = spawnSync(step.command[0], step.command.slice(1), { cwd: step.cwd, stdio: "inherit", env: { ...process.env, ...step.env } });
  if (r.error)
    throw new DeployError(
      `${step.command[0]}: ${r.error.message}${r.error.code === "ENOENT" ? " (is it installed and on the PATH? see docs/deploy.md)" : ""}`,
    );
  if (r.status !== 0) throw new DeployError(`${step.command.join(" ")} exited with ${r.status}`);
}

function formatEnv(env) {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v} `)
    .join("");
}

function printPlan(plan) {
  const lines = [`# ${plan.mode}: ${plan.functions.map((f) => f.name).join(", ")} with tag ${plan.tag}`];
  lines.push(`# build contexts in ${plan.stageRoot}/<function>/ : ${plan.contextFiles.join(", ")}, func.yaml`);
  for (const f of plan.functions) lines.push(`#   ${f.name} → ${f.image}`);
  for (const s of plan.steps) lines.push(`(cd ${s.cwd} && ${formatEnv(s.env)}${s.command.join(" ")})`);
  if (plan.mode === "push-only")
    lines.push(`# then: terraform apply with ocir_registry = "${plan.registry}" and image_tag = "${plan.tag}"`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main() {
  let opts;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`deploy: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const out = opts.dryRun ? opts.out : (opts.out ?? mkdtempSync(join(tmpdir(), "aidp-watch-deploy-")));
    const plan = makePlan({ ...opts, out });
    if (opts.dryRun) {
      if (opts.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else printPlan(plan);
      return 0;
    }
    const [first, ...rest] = plan.steps;
    if (!opts.skipBuild) run(first);
    stage(plan);
    for (const step of opts.skipBuild ? plan.steps : rest) run(step);
    printPlan(plan);
    process.stdout.write(
      plan.mode === "push-only"
        ? `pushed. Next: terraform apply -var 'ocir_registry=${plan.registry}' -var 'image_tag=${plan.tag}'\n`
        : `deployed ${plan.functions.map((f) => f.name).join(", ")} (${plan.tag}).\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DeployError) {
      process.stderr.write(`deploy: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
