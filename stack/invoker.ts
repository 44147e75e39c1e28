/**
 * Calls a function over the FDK's unix socket exactly as Fn does: `POST /call`
 * with `Fn-Call-Id` and an RFC 3339 `Fn-Deadline`. The FDK does not enforce
 * the deadline; the function reads it, and the caller times out a little later.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { StackError } from "./stack-error.js";

export interface FdkResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

export interface FdkCallOptions {
  /** Fn-Deadline = now + deadlineMs. @default 30000 */
  deadlineMs?: number;
  /** @default a fresh ULID-like id */
  callId?: string;
  contentType?: string;
  /** Socket-level timeout. @default deadlineMs + 5000 (at least 120000 when no deadline is given) */
  timeoutMs?: number;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A 26-character, time-ordered id shaped like Fn's call ids (ULID). */
export function newCallId(nowMs: number = Date.now()): string {
  let time = "";
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join("");
  return time + rand;
}

export function callFdk(socketPath: string, payload: unknown, options: FdkCallOptions = {}): Promise<FdkResponse> {
  const body = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload));
  const deadlineMs = options.deadlineMs ?? 30_000;
  const deadline = new Date(Date.now() + deadlineMs).toISOString();
  const timeoutMs = options.timeoutMs ?? (options.deadlineMs === undefined ? 120_000 : deadlineMs + 5_000);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method: "POST",
        path: "/call",
        headers: {
          "Fn-Call-Id": options.callId ?? newCallId(),
          "Fn-Deadline": deadline,
          "Content-Type": options.contentType ?? "application/json",
          "Content-Length": body.length,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new StackError("FDK call timed out", { context: { socketPath, timeoutMs } })));
    req.on("error", reject);
    req.end(body);
  });
}

/** Resolves once the FDK has created its socket symlink (its readiness signal). */
export async function waitForSocket(socketPath: string, timeoutMs = 15_000, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(socketPath)) {
    if (signal?.aborted) throw new StackError("stopped while waiting for the FDK socket", { context: { socketPath } });
    if (Date.now() > until)
      throw new StackError(`FDK socket ${socketPath} did not appear within ${timeoutMs} ms`, { context: { socketPath, timeoutMs } });
    await new Promise((r) => setTimeout(r, 10));
  }
}
