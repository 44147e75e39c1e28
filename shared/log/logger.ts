/**
 * Structured JSON-lines logging, as OCI Functions' logging expects (one JSON
 * object per line on stdout/stderr). Quiet by default (`warn`): a healthy sweep
 * writes nothing. Every record passes through `redact` before it is written.
 */
import { AidpWatchError } from "../errors/aidp-watch-error.js";
import { currentLogFields } from "./log-context.js";
import { redact, redactString } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose records all carry `fields` (e.g. function name, `Fn-Call-Id`). */
  child(fields: LogFields): Logger;
}

export interface LogSink {
  write(line: string, level: LogLevel): void;
}

/** Warnings and errors to stderr, the rest to stdout (what Fn collects from both). */
export const stdioSink: LogSink = {
  write(line, level) {
    (level === "warn" || level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
  },
};

function serialiseError(err: unknown): unknown {
  if (err instanceof AidpWatchError) return err.toJSON();
  if (err instanceof Error) return { name: err.name, message: err.message };
  return err;
}

export function createLogger(options: { level?: LogLevel; sink?: LogSink; fields?: LogFields } = {}): Logger {
  const level = options.level ?? "warn";
  const sink = options.sink ?? stdioSink;
  const base = options.fields ?? {};
  const emit = (lvl: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    // The invocation's fields (fnCallId) win over those fixed when the logger was built.
    const merged: LogFields = { ...base, ...currentLogFields(), ...fields };
    if ("error" in merged) merged.error = serialiseError(merged.error);
    const record = { time: new Date().toISOString(), level: lvl, message: redactString(message), ...(redact(merged) as LogFields) };
    sink.write(JSON.stringify(record), lvl);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger({ level, sink, fields: { ...base, ...fields } }),
  };
}

/** For library code called without a logger: drops everything. Libraries never `console.*`. */
export const silentLogger: Logger = createLogger({ level: "silent" });

export function parseLogLevel(value: string | undefined, fallback: LogLevel = "warn"): LogLevel {
  const v = value?.toLowerCase();
  return v === "debug" || v === "info" || v === "warn" || v === "error" || v === "silent" ? v : fallback;
}
