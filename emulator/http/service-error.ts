/**
 * Thrown by route handlers to answer with OCI's documented error body
 * `{ code, message }` (plus `opc-request-id`, added by the server).
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (code: string, message: string) => new ServiceError(404, code, message);
export const badRequest = (code: string, message: string) => new ServiceError(400, code, message);
