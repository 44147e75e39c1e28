import { existsSync } from "node:fs";
import { request } from "node:http";

/** Calls a function over the FDK's unix socket exactly as Fn does (`POST /call`). */
export interface FdkResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

export function callFdk(
  socketPath: string,
  payload: unknown,
  options: { deadlineMs?: number; callId?: string; contentType?: string; timeoutMs?: number } = {},
): Promise<FdkResponse> {
  const body = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload));
  const deadline = new Date(Date.now() + (options.deadlineMs ?? 30_000)).toISOString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method: "POST",
        path: "/call",
        headers: {
          "Fn-Call-Id": options.callId ?? `01CALL${Date.now()}`,
          "Fn-Deadline": deadline,
          "Content-Type": options.contentType ?? "application/json",
          "Content-Length": body.length,
        },
        timeout: options.timeoutMs ?? 120_000,
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
    req.on("timeout", () => req.destroy(new Error("FDK call timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Resolves once the FDK has created its socket symlink (its readiness signal). */
export async function waitForSocket(socketPath: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(socketPath)) {
    if (Date.now() > until) throw new Error(`FDK socket ${socketPath} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
