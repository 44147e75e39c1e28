import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * What `docker build` would put in the function image, without Docker: reads
 * the Dockerfile's instructions and carries out the ones a Node function
 * image uses (ARG, FROM, WORKDIR, COPY from the build context, RUN and
 * ENTRYPOINT/CMD in exec form) into a folder standing for the image's
 * WORKDIR, with a given node binary standing for the run image's `node`.
 * Anything else (shell-form RUN, ADD, USER, a second WORKDIR…) is refused, so
 * a Dockerfile change this can't reproduce fails the test instead of being
 * skipped. The base image's own files are not there: the run image is assumed
 * to be Node plus nothing the function uses.
 */
export interface DockerImage {
  /** ARG defaults, e.g. RUN_IMAGE. */
  readonly args: Readonly<Record<string, string>>;
  /** The FROM image with ARGs substituted. */
  readonly from: string;
  /** The image's WORKDIR (e.g. /function), standing at `root`. */
  readonly workdir: string;
  /** ENTRYPOINT + CMD, with WORKDIR paths rewritten into `root`. */
  readonly command: readonly string[];
}

export interface MaterialiseOptions {
  readonly dockerfile: string;
  /** The build context (what `docker build <context>` gets). */
  readonly context: string;
  /** Stands for the image's WORKDIR. */
  readonly root: string;
  /** Runs RUN ["node", …] steps. */
  readonly node: string;
}

function instructions(text: string): Array<{ op: string; rest: string }> {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const m = /^([A-Za-z]+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`Dockerfile: cannot read "${l}"`);
      return { op: (m[1] as string).toUpperCase(), rest: m[2] as string };
    });
}

function execForm(op: string, rest: string): string[] {
  if (!rest.startsWith("[")) throw new Error(`Dockerfile: ${op} ${rest}: only the exec form (JSON array) is supported here`);
  const parsed: unknown = JSON.parse(rest);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) throw new Error(`Dockerfile: ${op}: not an array of strings`);
  return parsed as string[];
}

export function materialiseImage(o: MaterialiseOptions): DockerImage {
  const args: Record<string, string> = {};
  let from = "";
  let workdir: string | undefined;
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  const inRoot = (p: string) => {
    if (!workdir) throw new Error("Dockerfile: a path before WORKDIR");
    return p === workdir || p.startsWith(`${workdir}/`) ? join(o.root, p.slice(workdir.length)) : p;
  };
  for (const { op, rest } of instructions(readFileSync(o.dockerfile, "utf8"))) {
    switch (op) {
      case "ARG": {
        const [name, value] = rest.split("=", 2) as [string, string | undefined];
        if (value !== undefined) args[name] = value;
        break;
      }
      case "FROM":
        from = rest.replace(/\$\{([A-Z_]+)\}/g, (_, n: string) => args[n] ?? "");
        break;
      case "WORKDIR":
        if (workdir !== undefined) throw new Error("Dockerfile: a second WORKDIR");
        workdir = rest;
        mkdirSync(o.root, { recursive: true });
        break;
      case "COPY": {
        const parts = rest.startsWith("[") ? execForm(op, rest) : rest.split(/\s+/);
        if (parts.some((p) => p.startsWith("--"))) throw new Error(`Dockerfile: COPY ${rest}: flags are not supported here`);
        const dest = inRoot(parts.pop() as string);
        for (const src of parts) {
          const from = join(o.context, src);
          if (!existsSync(from)) throw new Error(`Dockerfile: COPY ${src}: not in the build context`);
          // Docker: a directory's contents go into dest; a file into dest/ (or to dest).
          if (statSync(from).isDirectory()) cpSync(from, dest, { recursive: true });
          else cpSync(from, dest.endsWith("/") ? join(dest, basename(src)) : dest);
        }
        break;
      }
      case "RUN": {
        const [bin, ...rest2] = execForm(op, rest);
        if (bin !== "node") throw new Error(`Dockerfile: RUN ${bin}: only node runs here`);
        execFileSync(o.node, rest2.map(inRoot), { cwd: o.root, stdio: "pipe", timeout: 120_000 });
        break;
      }
      case "ENTRYPOINT":
        entrypoint = execForm(op, rest);
        break;
      case "CMD":
        cmd = execForm(op, rest);
        break;
      default:
        throw new Error(`Dockerfile: ${op} is not supported by this test's image builder`);
    }
  }
  if (!workdir) throw new Error("Dockerfile: no WORKDIR");
  return { args, from, workdir, command: [...entrypoint, ...cmd].map(inRoot) };
}
