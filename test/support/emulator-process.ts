import { type ChildProcessByStdio, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Readable } from "node:stream";
import { z } from "zod";

/** The JSON block `aidp-watch emulator` prints on stdout once it is listening. */
export const EmulatorInfoSchema = z.object({
  url: z.string(),
  endpoints: z.object({ objectStorage: z.string(), notifications: z.string(), aidp: z.string().nullable(), admin: z.string() }),
  namespace: z.string(),
  topic: z.string(),
  buckets: z.array(z.string()),
  rateLimit: z.boolean(),
  configFile: z.string(),
  profile: z.string(),
  credentialsReused: z.boolean(),
  resourcePrincipalEnv: z.record(z.string(), z.string()),
  emailDir: z.string(),
  dataDir: z.string().nullable(),
  ephemeral: z.boolean(),
});
export type EmulatorInfo = z.infer<typeof EmulatorInfoSchema>;

export interface EmulatorProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly info: EmulatorInfo;
  stderr(): string;
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `aidp-watch emulator <args>` (through tsx) as a child process and waits for its JSON block. */
export async function spawnEmulator(args: string[], timeoutMs = 30_000): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", "emulator", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      try {
        const parsed = EmulatorInfoSchema.parse(JSON.parse(out));
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // not complete yet
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before starting: ${err}`));
    });
  });
  return { child, info, stderr: () => err };
}

/** Sends `signal` and waits for the exit code. */
export async function stopEmulator(p: EmulatorProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  const exited = once(p.child, "exit");
  p.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}
