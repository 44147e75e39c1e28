import { badRequest } from "../../http/service-error.js";
import type { EmuRequest } from "../../http/types.js";

/** `opc-retry-token` must be 1–64 characters when sent (docs/aidp-api.md, "Request conventions"). */
export function checkRetryToken(req: EmuRequest): void {
  const token = req.headers["opc-retry-token"];
  if (token === undefined) return;
  if (typeof token !== "string" || token.length < 1 || token.length > 64) {
    throw badRequest("InvalidParameter", "Invalid parameter 'opc-retry-token': must be 1 to 64 characters");
  }
}

/**
 * The `opc-retry-token` of every authenticated request to the AIDP POST
 * actions, in arrival order, recorded before fault injection so attempts
 * that were answered by an injected fault count too. Lets client tests
 * check that retries of one logical call reuse one token.
 */
export class RetryTokenLog {
  private entries: Array<{ route: string; token: string }> = [];

  record(req: EmuRequest): void {
    const token = req.headers["opc-retry-token"];
    if (typeof token === "string") this.entries.push({ route: req.route, token });
  }

  /** Tokens in arrival order (repeats kept), for one route name or all. */
  tokens(route?: string): string[] {
    return this.entries.filter((e) => route === undefined || e.route === route).map((e) => e.token);
  }

  clear(): void {
    this.entries = [];
  }
}
