// Neon puts a machine-readable code in every error body (GeneralError.code). The spec leaves its values open. Where a
// value has been seen from Neon it is used (BRANCHES_LIMIT_EXCEEDED and ROOT_BRANCHES_LIMIT_EXCEEDED, both 422); the
// others are the sandbox's own, named for what happened, so a client never relies on an empty code.
const DEFAULT_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  422: "UNPROCESSABLE_ENTITY",
  423: "LOCKED",
  429: "RATE_LIMITED",
  500: "INTERNAL_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** An error the sandbox answers with, in Neon's shape: HTTP status plus { code, message } (request_id is added). */
export class NeonApiError extends Error {
  readonly code: string;

  constructor(
    readonly status: number,
    message: string,
    code?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "NeonApiError";
    this.code = code ?? DEFAULT_CODES[status] ?? "ERROR";
  }
}

export const badRequest = (message: string, code?: string) => new NeonApiError(400, message, code);
export const notFound = (message: string) => new NeonApiError(404, message);
export const conflict = (message: string, code?: string) => new NeonApiError(409, message, code);
export const unprocessable = (message: string, code?: string) => new NeonApiError(422, message, code);

// Neon's wording for a request that meets a running operation; 423 is documented as safe to retry.
export const LOCKED_MESSAGE =
  "project already has running conflicting operations, scheduling of new ones is prohibited";
export const locked = () => new NeonApiError(423, LOCKED_MESSAGE);
