/**
 * Messages between `LzwWorkerTransform` (calling thread) and `lzw-worker.ts`.
 * Byte payloads are transferred, never copied by postMessage.
 */

/** What the worker is started with. */
export interface LzwWorkerData {
  /** The most output the worker may produce (the guard's `remaining()` at start): it stops itself past it. */
  maxBytes: number;
}

/** Calling thread → worker: a piece of compressed input, or its end. */
export type LzwWorkerRequest =
  | { kind: "input"; buffer: ArrayBuffer; length: number }
  | { kind: "end" }
  /** The calling thread's reader took an output window (flow control, see lzw-worker.ts). */
  | { kind: "taken" };

/** Why the worker failed: the decoder's typed errors, the output cap, or anything else. */
export type LzwFailureKind = "corrupt" | "truncated" | "limit" | "other";

/** Worker → calling thread. `output` covers `length` bytes at `offset` of a finished output window. */
export type LzwWorkerReply =
  | { kind: "output"; buffer: ArrayBuffer; offset: number; length: number }
  /** The input piece was decoded; its buffer comes back for the next piece. */
  | { kind: "consumed"; buffer: ArrayBuffer }
  | { kind: "done" }
  | { kind: "failed"; failure: LzwFailureKind; message: string; producedBytes: number };
