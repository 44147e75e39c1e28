import * as z from "../schema/zod.js";

/** OCI's documented error body `{ code, message }`; anything else is tolerated. */
const OciErrorBodySchema = z.looseObject({ code: z.optional(z.string()), message: z.optional(z.string()) });

const MAX_MESSAGE = 500;

/** `code` and `message` from an error response body, with safe fallbacks and a bounded message. */
export function parseErrorBody(text: string, status: number, statusText: string): { code: string; message: string } {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const parsed = OciErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      code = parsed.data.code;
      message = parsed.data.message;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const fallback = text.trim() === "" ? statusText || `HTTP ${status}` : text.trim();
  return { code: code ?? "Unknown", message: bound(message ?? fallback) };
}

function bound(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}
