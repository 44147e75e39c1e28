/**
 * What a person watching `npm start` sees: one calm line per thing that
 * matters (an operation changing state, a notification delivered, an export
 * archived, a function restarted), never log records. Function logs go to the
 * log file. Pure formatting plus a writer; colours only on a TTY.
 */
import type { Writable } from "node:stream";

export type ConsoleEvent =
  | { kind: "operation"; at: number; key: string; actionType: string; resourceName: string; status: string; errorCode?: string | undefined }
  | { kind: "email"; at: number; subject: string; file: string }
  | { kind: "slack"; at: number; text: string }
  | { kind: "export"; at: number; taskRunKey: string; manifest: string }
  | { kind: "function"; at: number; name: string; message: string }
  | { kind: "info"; at: number; message: string };

const STATUS_COLOUR: Record<string, number> = { SUCCEEDED: 32, FAILED: 31, CANCELED: 33, IN_PROGRESS: 36 };

function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function formatEvent(e: ConsoleEvent, colour = false): string {
  const paint = (code: number, s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const dim = (s: string) => paint(2, s);
  const head = `${dim(clock(e.at))}  `;
  switch (e.kind) {
    case "operation": {
      const err = e.errorCode ? ` ${dim(`(${e.errorCode})`)}` : "";
      return `${head}op      ${e.actionType.padEnd(24)} ${oneLine(e.resourceName, 28).padEnd(28)} ${paint(STATUS_COLOUR[e.status] ?? 35, e.status)}${err}  ${dim(e.key)}`;
    }
    case "email":
      return `${head}email   "${oneLine(e.subject, 70)}"  ${dim(`→ ${e.file}`)}`;
    case "slack":
      return `${head}slack   ${oneLine(e.text, 100)}`;
    case "export":
      return `${head}export  task run ${e.taskRunKey}  ${dim(`→ ${e.manifest}`)}`;
    case "function":
      return `${head}${paint(33, "fn")}      ${e.name}: ${e.message}`;
    case "info":
      return `${head}${e.message}`;
  }
}

export class ConsoleView {
  private readonly lastStatus = new Map<string, string>();
  readonly lines: string[] = [];

  constructor(
    private readonly out: Writable | undefined,
    private readonly colour = false,
  ) {}

  /** Writes the event; operation lines only when the status changed since the last line for that key. */
  show(e: ConsoleEvent): void {
    if (e.kind === "operation") {
      if (this.lastStatus.get(e.key) === e.status) return;
      this.lastStatus.set(e.key, e.status);
    }
    const line = formatEvent(e, this.colour);
    this.lines.push(formatEvent(e, false));
    this.out?.write(`${line}\n`);
  }

  /** A plain line (banner, summary). */
  say(text: string): void {
    this.lines.push(text);
    this.out?.write(`${text}\n`);
  }
}
