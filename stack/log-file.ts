/**
 * The one JSON-lines log file of a stack run: every function's stdout/stderr
 * and the stack's own lifecycle records. Lines that are already JSON objects
 * (the functions' structured logs) are kept as they are; anything else (an FDK
 * warning, a crash trace) is wrapped in a record, so the file stays parseable.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";

export class LogFile {
  private readonly stream: WriteStream;
  private closed = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: "a" });
  }

  /** A record from the stack itself (process started, exited, restarted…). */
  record(level: "info" | "warn" | "error", message: string, fields: Record<string, string | number | boolean | undefined> = {}): void {
    this.write(JSON.stringify({ time: new Date().toISOString(), level, source: "stack", message, ...fields }));
  }

  /** One line of a function's output. */
  functionLine(fn: string, stream: "stdout" | "stderr", line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed === "") return;
    if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
      try {
        JSON.parse(trimmed);
        this.write(trimmed);
        return;
      } catch {
        // not JSON after all: wrap it below
      }
    }
    this.write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: stream === "stderr" ? "warn" : "info",
        function: fn,
        stream,
        message: trimmed,
      }),
    );
  }

  private write(line: string): void {
    if (!this.closed) this.stream.write(`${line}\n`);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
