/**
 * Root of every error aidp-watch throws. Each module defines its own family by
 * extending this class (e.g. `HttpError`, `DecodeError`, `StateStoreError`), so
 * callers can branch on `instanceof` at the granularity they need, and every
 * error carries the context a log line or a user needs: what was being done,
 * against which endpoint, with which `opc-request-id`.
 *
 * Context values must never contain secrets: they are written to logs.
 */
export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined | null>>;

export class AidpWatchError extends Error {
  readonly context: ErrorContext;

  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.context = options.context ?? {};
  }

  /** A compact, loggable view: no stack, no cause object graph, only strings and numbers. */
  toJSON(): Record<string, unknown> {
    const cause = this.cause instanceof Error ? `${this.cause.name}: ${this.cause.message}` : undefined;
    return { name: this.name, message: this.message, ...this.context, ...(cause ? { cause } : {}) };
  }
}

/** Render any thrown value as one line, without ever printing `[object Object]`. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
