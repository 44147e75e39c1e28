/**
 * The abort signal of the attempt in progress, for clients whose requests we
 * don't build ourselves. oci-common's generated clients (Object Storage,
 * Notifications) take no per-request signal, but they spread the client's
 * `httpOptions` into every fetch's options: `ociClientConfiguration` gives
 * them a `signal` getter that returns `currentAttemptSignal()`, and
 * `callWithRetry` runs each attempt inside `runInAttempt`. So the one client
 * built per container still aborts each request (the socket is closed) when
 * *that* call's attempt times out or its deadline passes, and carries no
 * deadline of its own that could expire between invocations.
 *
 * AsyncLocalStorage follows the attempt through the SDK's awaits (signing,
 * fetch, body reading) and keeps concurrent calls apart. It is created on
 * first use, not at module load (the module is part of the startup snapshot).
 */
import type { AsyncLocalStorage } from "node:async_hooks";

let storage: AsyncLocalStorage<AbortSignal> | undefined;

function attemptStorage(): AsyncLocalStorage<AbortSignal> {
  storage ??= new (process.getBuiltinModule("node:async_hooks").AsyncLocalStorage)<AbortSignal>();
  return storage;
}

/** Runs `fn` with `signal` as the current attempt's signal. */
export function runInAttempt<T>(signal: AbortSignal, fn: () => T): T {
  return attemptStorage().run(signal, fn);
}

/** The signal of the attempt this code runs in, if any. */
export function currentAttemptSignal(): AbortSignal | undefined {
  return storage?.getStore();
}
