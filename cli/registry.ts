/**
 * The `aidp-watch` commands. Each lives in `cli/commands/<name>.ts` and is
 * loaded lazily, so `aidp-watch decode` doesn't pay for the OCI SDK. Commands
 * return their exit code; results go to stdout as JSON, errors are one clear
 * line on stderr. To add a command, add one entry here.
 */
import type { Readable, Writable } from "node:stream";

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}
export type CommandRunner = (args: string[], io: CliIo) => Promise<number>;

export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandRunner> }> = {
  decode: {
    summary: "decode task-run output payloads to files: decode <file|-> --out <dir>",
    load: async () => (await import("./commands/decode.js")).runDecode,
  },
  start: {
    summary:
      "run the whole system locally (emulator + functions under the FDK): start [--port] [--data-dir] [--speed] [--no-seed] [--poll-interval]",
    load: async () => (await import("./commands/start.js")).runStart,
  },
  console: {
    summary:
      "the console page for a deployment, read-only with your OCI credentials: console [--env-file F] [--config-file F] [--profile P] [--port P]",
    load: async () => (await import("./commands/console.js")).runConsoleCommand,
  },
  demo: {
    summary: "the local scenario on a fast clock; exits 0 once every notification and export happened: demo [--speed] [--timeout]",
    load: async () => (await import("./commands/demo.js")).runDemoCommand,
  },
  emulator: {
    summary: "run the local OCI emulator (Object Storage, Notifications, AIDP): emulator [--port P] [--data-dir D]",
    load: async () => (await import("./commands/emulator.js")).runEmulator,
  },
  operations: {
    summary:
      "AIDP async operations: operations get|cancel <platformId> <operationKey> | operations list <platformId> [--status S] [--resource-type T]",
    load: async () => (await import("./commands/operations.js")).runOperations,
  },
  sweep: {
    summary:
      "what the poll function does (announce what ended; sweeps again while operations run): sweep [--once] [--env-file F] [--config-file F] [--profile P] [--timeout S]",
    load: async () => (await import("./commands/sweep.js")).runSweepCommand,
  },
  track: {
    summary:
      "register one async operation and check it once: track <platformId> <operationKey> [--env-file F] [--config-file F] [--profile P]",
    load: async () => (await import("./commands/track.js")).runTrackCommand,
  },
  doctor: {
    summary:
      "check a configuration against OCI or the emulator; JSON report, exit 0 only if all passed: doctor [--env-file F] [--config-file F] [--profile P] [--auth A] [--publish-test]",
    load: async () => (await import("./commands/doctor.js")).runDoctorCommand,
  },
  "task-runs": {
    summary: "AIDP task runs: task-runs output <platformId> <workspaceKey> <taskRunKey> [--output-key K]",
    load: async () => (await import("./commands/task-runs.js")).runTaskRuns,
  },
  "job-runs": {
    summary: "AIDP job runs: job-runs get <platformId> <workspaceKey> <jobRunKey>",
    load: async () => (await import("./commands/job-runs.js")).runJobRuns,
  },
  export: {
    summary: "archive a task run's output to Object Storage: export <platformId> <workspaceKey> <taskRunKey> [--output-key K] --bucket B",
    load: async () => (await import("./commands/export.js")).runExportCommand,
  },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return `usage: aidp-watch <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun "aidp-watch <command> --help" for a command's options.\n`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`aidp-watch: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return (await command.load())(rest, io);
}
