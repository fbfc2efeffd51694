import { LifeboatError } from "../../shared/errors.ts";

// Turns what the AWS SDK throws into the few failures an operator can act on. The SDK's own messages are kept only
// where they say something useful, and never for credential failures: S3 echoes the access key id back in those.

export interface S3ErrorContext {
  bucket: string;
  /** "http://127.0.0.1:9000" or "AWS region eu-west-1": where the bucket was looked for. */
  where: string;
  /** What Lifeboat was doing, e.g. "uploading backups/x.dump". */
  action: string;
  key?: string;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  Region?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
}

const AUTH_CODES = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "Forbidden",
  "ExpiredToken",
  "InvalidToken",
  "TokenRefreshRequired",
  "AllAccessDisabled",
  "AccountProblem",
  "CredentialsProviderError",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
]);
const TIMEOUT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const REGION_CODES = new Set([
  "PermanentRedirect",
  "AuthorizationHeaderMalformed",
  "IllegalLocationConstraintException",
]);

function errorCode(e: SdkErrorShape): string {
  return e.Code ?? e.name ?? "";
}

export function mapS3Error(err: unknown, ctx: S3ErrorContext): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const code = errorCode(e);
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const details: Record<string, unknown> = {
    bucket: ctx.bucket,
    ...(ctx.key ? { key: ctx.key } : {}),
    ...(status ? { status } : {}),
    ...(code ? { s3Code: code } : {}),
    ...(requestId ? { requestId } : {}),
  };

  if (code === "NoSuchBucket") {
    return new LifeboatError(
      "STORAGE_NO_BUCKET",
      `bucket ${ctx.bucket} does not exist at ${ctx.where}`,
      "create the bucket, or fix the bucket, region or endpoint in the profile",
      details,
    );
  }
  if (code === "NoSuchKey" || (code === "NotFound" && ctx.key)) {
    return new LifeboatError(
      "BACKUP_NOT_FOUND",
      `${ctx.key ?? "the object"} does not exist in s3://${ctx.bucket}`,
      "list the backups to see which ones exist",
      details,
    );
  }
  if (code === "QuotaExceeded" || code === "QuotaExceededException") {
    // 403 like a refused key, but the key is fine: the bucket (or account) is full.
    return new LifeboatError(
      "STORAGE_ERROR",
      `bucket ${ctx.bucket} is full: its quota is exceeded (while ${ctx.action})`,
      "free space (e.g. `lifeboat prune --apply`) or raise the bucket's quota, then run it again",
      details,
    );
  }
  if (AUTH_CODES.has(code) || status === 403) {
    const what =
      code === "CredentialsProviderError"
        ? "no AWS credentials were found"
        : `S3 refused the credentials (${code === "Unknown" || !code ? "403 Forbidden" : code})`;
    return new LifeboatError(
      "STORAGE_AUTH",
      `${what} while ${ctx.action} in bucket ${ctx.bucket}`,
      "check the access key references in the profile (accessKeyId, secretAccessKey) and that the key may read and write this bucket; without references the AWS_* environment variables and ~/.aws are used",
      details,
    );
  }
  if ((e.code && NETWORK_CODES.has(e.code)) || TIMEOUT_NAMES.has(code)) {
    return new LifeboatError(
      "STORAGE_UNREACHABLE",
      `cannot reach S3 at ${ctx.where} while ${ctx.action} (${e.code ?? code})`,
      "check the network connection and the endpoint in the profile",
      { ...details, ...(e.code ? { errno: e.code } : {}) },
      { cause: err },
    );
  }
  if (REGION_CODES.has(code)) {
    return new LifeboatError(
      "STORAGE_ERROR",
      `bucket ${ctx.bucket} is not in ${ctx.where}${e.Region ? ` (it is in ${e.Region})` : ""}`,
      `set region${e.Region ? ` to ${e.Region}` : ""} in the profile's storage section`,
      details,
      { cause: err },
    );
  }
  const message = e.message && e.message !== "UnknownError" ? e.message : `HTTP ${status ?? "error"}`;
  return new LifeboatError(
    "STORAGE_ERROR",
    `S3 failed while ${ctx.action}: ${message}${code && !message.includes(code) ? ` (${code})` : ""}${requestId ? ` [request id ${requestId}]` : ""}`,
    "retry; if it keeps failing, check the bucket's settings and the storage provider's status",
    details,
    { cause: err },
  );
}
