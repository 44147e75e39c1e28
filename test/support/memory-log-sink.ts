import type { LogFields, LogSink } from "../../shared/log/logger.js";

/** Collects log lines in memory, so tests can assert on what would have been logged. */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  records(): LogFields[] {
    return this.lines.map((l) => JSON.parse(l) as LogFields);
  }
}
