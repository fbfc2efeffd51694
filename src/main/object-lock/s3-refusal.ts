import { LifeboatError } from "../../shared/errors.ts";

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

// A store's answer as the SDK gives it, or as a store method mapped it (a LifeboatError keeps the status and code).
const mapped = (e: unknown): { status?: number; s3Code?: string } | undefined =>
  e instanceof LifeboatError ? (e.details as { status?: number; s3Code?: string } | undefined) : undefined;

export const s3Code = (e: unknown): string =>
  e instanceof LifeboatError ? (mapped(e)?.s3Code ?? "") : ((e as SdkError).Code ?? (e as SdkError).name ?? "");
export const s3Status = (e: unknown): number | undefined =>
  e instanceof LifeboatError ? mapped(e)?.status : (e as SdkError).$metadata?.httpStatusCode;

/** "AccessDenied (forbidden by object lock)": how a store said no, for reports. */
export function refusalText(e: unknown): string {
  const m = e instanceof LifeboatError ? undefined : (e as SdkError).message;
  return `${s3Code(e) || `HTTP ${s3Status(e) ?? "error"}`}${m && m !== "UnknownError" && m !== s3Code(e) ? ` (${m})` : ""}`;
}

/** The store refused a destructive call (a lock, a legal hold, or a policy), as opposed to failing to answer. */
export function isRefusal(e: unknown): boolean {
  const s = s3Status(e);
  return s === 403 || s === 400 || s === 405 || s === 409 || s3Code(e) === "AccessDenied";
}

/** The store's S3 API does not offer the call at all (Cloudflare R2's Object Lock and versioning calls, s3rver). */
export const isNotImplemented = (e: unknown): boolean => s3Status(e) === 501 || s3Code(e) === "NotImplemented";
