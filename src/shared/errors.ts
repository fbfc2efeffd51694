// Every failure an operator can meet has a code, a plain message and a hint saying what to do next.
// The CLI maps codes to exit codes; the console shows message and hint; neither ever shows a stack.
import { z } from "zod";

export const EXIT_CODES = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  CONNECTION: 4,
  TOOLS: 5,
  INTEGRITY: 6,
  RESTORE: 7,
  REFUSED: 8,
  /** pg_dump or zstd failed, or the store did not hold what was sent: the backup did not commit. */
  BACKUP: 9,
  /** This machine's own disk: the journal, its lock or the temporary folder full, read-only or not writable. */
  LOCAL: 10,
  /** A compliance report made and handed out, with an item that FAILs or is NOT EVIDENCED: not a success to a script. */
  FINDINGS: 11,
  /** Ctrl-C (SIGINT) or the console's cancel; a SIGTERM exits 143 (128 + 15), as shells report it. */
  CANCELLED: 130,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

export const ERROR_CODES = {
  USAGE: "USAGE",
  CONFIG_INVALID: "CONFIG",
  CONFIG_LITERAL_SECRET: "CONFIG",
  PROFILE_NOT_FOUND: "CONFIG",
  SECRET_MISSING: "CONFIG",
  SECRET_FROM_ARGV: "USAGE",
  KEYCHAIN_UNAVAILABLE: "CONFIG",
  PG_AUTH: "CONNECTION",
  PG_UNREACHABLE: "CONNECTION",
  PG_ERROR: "CONNECTION",
  POOLED_HOST: "REFUSED",
  TOOLS_MISSING: "TOOLS",
  TOOLS_TOO_OLD: "TOOLS",
  STORAGE_NO_BUCKET: "CONNECTION",
  STORAGE_AUTH: "CONNECTION",
  STORAGE_UNREACHABLE: "CONNECTION",
  STORAGE_ERROR: "CONNECTION",
  BACKUP_NOT_FOUND: "INTEGRITY",
  MANIFEST_INVALID: "INTEGRITY",
  OBJECT_TRUNCATED: "INTEGRITY",
  OBJECT_CORRUPT: "INTEGRITY",
  IDENTITY_MISSING: "CONFIG",
  IDENTITY_WRONG: "INTEGRITY",
  ARCHIVE_INVALID: "INTEGRITY",
  BACKUP_FAILED: "BACKUP",
  TARGET_NOT_EMPTY: "REFUSED",
  TARGET_REFUSED: "REFUSED",
  CONFIRMATION_REQUIRED: "REFUSED",
  RESTORE_FAILED: "RESTORE",
  ROWCOUNT_MISMATCH: "RESTORE",
  JOURNAL_LOCKED: "LOCAL",
  JOURNAL_WRITE_FAILED: "LOCAL",
  LOCAL_DISK: "LOCAL",
  CANCELLED: "CANCELLED",
  LARGE_OBJECTS_MISSING: "RESTORE",
  JOURNAL_TAMPERED: "INTEGRITY",
  INCIDENT_NOT_FOUND: "USAGE",
  INCIDENT_ALREADY_OPEN: "REFUSED",
  INCIDENT_CLOSED: "REFUSED",
  DROP_REFUSED: "REFUSED",
  NEON_AUTH: "CONNECTION",
  NEON_NOT_FOUND: "CONFIG",
  NEON_CONFLICT: "CONNECTION",
  NEON_TIMEOUT: "CONNECTION",
  NEON_UNREACHABLE: "CONNECTION",
  NEON_API: "CONNECTION",
  NEON_OPERATION_FAILED: "CONNECTION",
  /** A change whose answer never arrived: it may or may not have happened (reconciled before it is reported). */
  NEON_ANSWER_LOST: "CONNECTION",
  /** Neon accepted a change but its outcome could not be learned (it stopped answering, or is still working). */
  NEON_OUTCOME_UNKNOWN: "CONNECTION",
  /** Neon answered 400/409/422: it understood the request and refused it; nothing was changed. */
  NEON_REJECTED: "REFUSED",
  NEON_NAME_TAKEN: "USAGE",
  NEON_OUTSIDE_WINDOW: "REFUSED",
  NEON_REFUSED: "REFUSED",
  DRILL_FAILED: "INTEGRITY",
  JOB_RUNNING: "REFUSED",
  SCHEDULER_UNAVAILABLE: "CONNECTION",
  TABLE_NOT_FOUND: "USAGE",
  NO_PRIMARY_KEY: "USAGE",
  SCHEMA_MISMATCH: "REFUSED",
  PLAN_NOT_FOUND: "USAGE",
  PLAN_INVALID: "INTEGRITY",
  PLAN_STALE: "REFUSED",
  PLAN_TAMPERED: "REFUSED",
  REPAIR_FAILED: "RESTORE",
  DAMAGE_REMAINS: "REFUSED",
  OBJECT_LOCK_UNAVAILABLE: "CONFIG",
  LOCK_NOT_TAKEN: "INTEGRITY",
  INTERNAL: "INTERNAL",
} as const satisfies Record<string, ExitCodeName>;

export type ErrorCode = keyof typeof ERROR_CODES;

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** An error as every face shows it: code, plain message, what to do next. Never a stack. */
export const ErrorInfo = z.object({
  code: z.enum(CODES),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export class LifeboatError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    hint?: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LifeboatError";
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[ERROR_CODES[code]];
}

export function isLifeboatError(e: unknown): e is LifeboatError {
  return e instanceof LifeboatError;
}

/** One line for a check's detail: the message, and for a LifeboatError what to do next. */
export function describeError(e: unknown): string {
  if (isLifeboatError(e)) return `${e.message}${e.hint ? ` — ${e.hint}` : ""}`;
  return e instanceof Error ? e.message : String(e);
}
