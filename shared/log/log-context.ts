import type { AsyncLocalStorage } from "node:async_hooks";
import type { LogFields } from "./logger.js";

/**
 * Fields every log record written while an invocation runs carries, whoever
 * writes it: the FDK adapter runs each call inside `runWithLogFields({ fnCallId })`,
 * and every logger (`createLogger`) adds the current fields to its records.
 * So lines from objects built once per container (the OCI clients and stores
 * in functions/services.ts, whose logger was the first call's) and from
 * third-party console output (console-bridge.ts) name the call they belong
 * to, and two overlapping calls never borrow each other's id.
 *
 * AsyncLocalStorage follows the call through every await; it is created on
 * first use.
 */
let storage: AsyncLocalStorage<LogFields> | undefined;

export function runWithLogFields<T>(fields: LogFields, fn: () => T): T {
  storage ??= new (process.getBuiltinModule("node:async_hooks").AsyncLocalStorage)<LogFields>();
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** The fields of the invocation this code runs in (empty outside one). */
export function currentLogFields(): LogFields | undefined {
  return storage?.getStore();
}
