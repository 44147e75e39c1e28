// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (`${var.x}`) are the expected literal text here.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";

// func.yaml against the fields of the Fn CLI's 20180708 func file
// (fnproject/cli common/funcfile.go + schema.go), the Dockerfile it builds,
// and the per-function copies scripts/deploy.mjs generates from it.

const ROOT = join(import.meta.dirname, "..", "..", "..");
const read = (rel: string) => readFileSync(join(ROOT, rel), "utf8");

/** The YAML subset func.yaml uses: comments and flat `key: scalar` lines; anything else is rejected. */
function readFlatYaml(text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [i, line] of text.split("\n").entries()) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^([a-z_]+):[ ]+([^\s#][^#]*?)\s*$/.exec(line);
    if (!m) throw new Error(`func.yaml line ${i + 1} is not a flat "key: value" line: ${line}`);
    const [, key, raw] = m as unknown as [string, string, string];
    if (key in out) throw new Error(`func.yaml: duplicate key ${key}`);
    out[key] = /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

const FN_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Fields of FuncFileV20180708 with their types; unknown fields are an error (`.strict()`). */
const FuncFileV20180708 = z
  .object({
    schema_version: z.literal(20180708),
    name: z.string().regex(FN_NAME),
    version: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/),
    runtime: z.string(),
    build_image: z.string().optional(),
    run_image: z.string().optional(),
    cmd: z.string().optional(),
    entrypoint: z.string().optional(),
    content_type: z.string().optional(),
    memory: z.number().int().optional(),
    timeout: z.number().int().optional(),
    idle_timeout: z.number().int().optional(),
  })
  .strict();

interface Plan {
  mode: string;
  app: string | null;
  registry: string | null;
  tag: string;
  platform: string;
  contextFiles: string[];
  functions: Array<{ handler: string; name: string; dir: string; image: string; funcYaml: string }>;
  steps: Array<{ cwd: string; command: string[]; env: Record<string, string> }>;
}

function deploy(...args: string[]) {
  const r = spawnSync(process.execPath, ["scripts/deploy.mjs", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, FN_REGISTRY: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function plan(...args: string[]): Plan {
  const r = deploy(...args, "--dry-run", "--json");
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Plan;
}

describe("func.yaml", () => {
  const ff = readFlatYaml(read("func.yaml"));

  it("is a valid 20180708 func file on runtime docker, versioned like package.json", () => {
    const parsed = FuncFileV20180708.parse(ff);
    expect(parsed.runtime).toBe("docker");
    expect(parsed.version).toBe(JSON.parse(read("package.json")).version);
    expect(() => FuncFileV20180708.parse({ ...ff, memroy: 256 })).toThrow();
  });

  it("leaves memory, timeout and config to Terraform (fn deploy only overrides fields that are set)", () => {
    for (const k of ["memory", "timeout", "idle_timeout", "config", "annotations"]) expect(ff).not.toHaveProperty(k);
  });

  it("the reader rejects what it does not understand", () => {
    expect(() => readFlatYaml("config:\n  A: b\n")).toThrow(/not a flat/);
    expect(() => readFlatYaml("name: a\nname: b\n")).toThrow(/duplicate/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const ignore = read(".dockerignore");
  const instructions = dockerfile
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .join("\n");

  it("runs the plain bundle on the pinned Node 22 FDK run image, nothing else", () => {
    // Pinned: a versioned tag (22-<FDK release>) or a digest, never the floating major tag.
    expect(dockerfile).toMatch(/^ARG RUN_IMAGE=fnproject\/node:22-\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/m);
    expect(dockerfile).toMatch(/^FROM \$\{RUN_IMAGE\}$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/function\/func\.cjs"\]$/m);
    expect(instructions).not.toMatch(/npm (ci|install)|node_modules|^RUN /m);
  });

  it("copies only files the .dockerignore lets into the context", () => {
    const copies = [...dockerfile.matchAll(/^COPY (.+) \/function\/(?:chunks\/)?$/gm)].flatMap((m) => (m[1] as string).split(/\s+/));
    expect(copies).toEqual(["dist/func.cjs", "dist/func.cjs.map", "dist/chunks/"]);
    const lines = ignore.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines[0]).toBe("*");
    for (const c of copies) expect(lines).toContain(`!${c}`);
  });
});

describe("scripts/deploy.mjs --dry-run", () => {
  it("plans a bundle build and one fn deploy per function, all with the same tag", () => {
    const p = plan("--app", "aidp-watch", "--tag", "1.2.3-abc1234");
    expect(p.mode).toBe("deploy");
    expect(p.steps[0]?.command).toEqual(["node", "scripts/build.mjs"]);
    expect(p.functions.map((f) => f.name)).toEqual(["aidp-watch-poll", "aidp-watch-track", "aidp-watch-export"]);
    const deploys = p.steps.slice(1);
    expect(deploys).toHaveLength(3);
    for (const [i, step] of deploys.entries()) {
      expect(step.command).toEqual(["fn", "deploy", "--app", "aidp-watch", "--no-bump", "--verbose"]);
      expect(step.cwd).toBe(p.functions[i]?.dir);
    }
    expect(new Set(p.functions.map((f) => f.image.split(":").pop()))).toEqual(new Set(["1.2.3-abc1234"]));
  });

  it("generates each func.yaml from the top-level one, changing only name and version", () => {
    const top = readFlatYaml(read("func.yaml"));
    const p = plan("--app", "aidp-watch", "--tag", "1.2.3-abc1234", "--prefix", "watch2");
    for (const f of p.functions) {
      const gen = FuncFileV20180708.parse(readFlatYaml(f.funcYaml));
      expect(gen).toEqual({ ...top, name: `watch2-${f.handler}`, version: "1.2.3-abc1234" });
      expect(f.funcYaml).toMatch(/^# GENERATED by scripts\/deploy\.mjs/);
    }
    expect(p.contextFiles).toEqual(["Dockerfile", ".dockerignore", "dist/func.cjs", "dist/func.cjs.map", "dist/chunks/"]);
  });

  it("the first deploy (--push-only) builds linux/amd64 images (GENERIC_X86) on any host and pushes what Terraform will reference", () => {
    const runImage = "fnproject/node:22-0.0.91@sha256:0000000000000000000000000000000000000000000000000000000000000000";
    const p = plan(
      "--push-only",
      "--registry",
      "iad.ocir.io/ns/aidp-watch",
      "--tag",
      "t1",
      "--functions",
      "poll,export",
      "--skip-build",
      "--run-image",
      runImage,
    );
    expect(p.functions.map((f) => f.image)).toEqual([
      "iad.ocir.io/ns/aidp-watch/aidp-watch-poll:t1",
      "iad.ocir.io/ns/aidp-watch/aidp-watch-export:t1",
    ]);
    expect(p.platform).toBe("linux/amd64");
    expect(p.steps.map((s) => s.command)).toEqual(
      p.functions.map((f) => [
        "docker",
        "buildx",
        "build",
        "--platform",
        "linux/amd64",
        "--build-arg",
        `RUN_IMAGE=${runImage}`,
        "--tag",
        f.image,
        "--push",
        ".",
      ]),
    );
    expect(p.steps.map((s) => s.cwd)).toEqual(p.functions.map((f) => f.dir));
    // An ARM application gets arm64 images.
    const arm = plan("--push-only", "--registry", "iad.ocir.io/ns/aidp-watch", "--tag", "t1", "--skip-build", "--platform", "linux/arm64");
    expect(arm.steps.every((s) => s.command.join(" ").includes("--platform linux/arm64"))).toBe(true);
  });

  it("fn deploy builds for the application's platform too (DOCKER_DEFAULT_PLATFORM)", () => {
    const p = plan("--app", "aidp-watch", "--tag", "t1", "--registry", "iad.ocir.io/ns/aidp-watch");
    for (const step of p.steps.slice(1))
      expect(step.env).toEqual({ FN_REGISTRY: "iad.ocir.io/ns/aidp-watch", DOCKER_DEFAULT_PLATFORM: "linux/amd64" });
    expect(deploy("--app", "a", "--platform", "linux/arm/v7", "--dry-run").status).toBe(2);
  });

  it("derives a tag that changes with the code when none is given", () => {
    const p = plan("--app", "a");
    expect(p.tag).toMatch(new RegExp(`^${JSON.parse(read("package.json")).version.replace(/\./g, "\\.")}-`));
  });

  it("refuses incomplete or contradictory arguments with usage (exit 2)", () => {
    for (const args of [
      [],
      ["--push-only"],
      ["--app", "a", "--push-only", "--registry", "r.io/x"],
      ["--app", "a", "--functions", "poll,nope"],
      ["--app", "a", "--tag", "bad tag"],
      ["--app", "a", "--registry", "iad.ocir.io/ns/"],
    ]) {
      const r = deploy(...args, "--dry-run");
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("usage:");
    }
  });
});
