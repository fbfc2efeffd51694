/** An error the sandbox answers with, in Neon's shape: HTTP status plus { code, message } (request_id is added). */
export class NeonApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = "",
  ) {
    super(message);
    this.name = "NeonApiError";
  }
}

export const badRequest = (message: string) => new NeonApiError(400, message);
export const notFound = (message: string) => new NeonApiError(404, message);
export const conflict = (message: string) => new NeonApiError(409, message);

// Neon's wording for a request that meets a running operation; 423 is documented as safe to retry.
export const LOCKED_MESSAGE =
  "project already has running conflicting operations, scheduling of new ones is prohibited";
export const locked = () => new NeonApiError(423, LOCKED_MESSAGE);
