/**
 * What a handler gets besides its input: plain values, no FDK types, so every
 * handler is a plain async function testable without Fn.
 */
import type { Config } from "../shared/config/config-schema.js";
import type { Logger } from "../shared/log/logger.js";
import type { Clock } from "../shared/time/clock.js";
import type { Deadline } from "../shared/time/deadline.js";

export interface Invocation {
  /** When to stop starting new work: Fn-Deadline minus `AIDP_WATCH_DEADLINE_RESERVE_MS`. */
  readonly workDeadline: Deadline;
  /** Fn-Deadline itself: the last moment to finish saving state and answer. */
  readonly hardDeadline: Deadline;
  readonly callId: string | undefined;
  /** This function's OCID (Fn's `FN_FN_ID`), when running under Fn; the poll fan-out invokes it. */
  readonly functionId?: string | undefined;
  readonly logger: Logger;
  readonly config: Config;
  readonly clock: Clock;
}

/** A handler must always return a JSON value: the FDK crashes on `undefined`/`null`. */
export type JsonResult = Record<string, unknown> | unknown[];
export type FunctionHandler = (input: unknown, invocation: Invocation) => Promise<JsonResult>;
