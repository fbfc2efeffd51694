import { LifeboatError, type ErrorCode } from "../../shared/errors.ts";

const CAUSES: Record<string, string> = {
  ENOSPC: "the disk is full (ENOSPC)",
  EDQUOT: "the disk quota is used up (EDQUOT)",
  EROFS: "the file system is read-only (EROFS)",
  EACCES: "permission denied (EACCES)",
  EPERM: "operation not permitted (EPERM)",
  EIO: "an I/O error (EIO): the disk may be failing or was removed",
  ENOENT: "the folder does not exist (ENOENT)",
  ENOTDIR: "a path component is not a folder (ENOTDIR)",
  EMFILE: "too many open files (EMFILE)",
};

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Whether `e` is a file system error about this machine's own disk (full, read-only, no permission, I/O). */
export function isLocalDiskError(e: unknown): boolean {
  const code = errno(e);
  return code !== undefined && code in CAUSES;
}

/** The cause of a file system error in words, with its errno. */
export function diskCause(e: unknown): string {
  const code = errno(e);
  if (code && CAUSES[code]) return CAUSES[code];
  return e instanceof Error ? e.message : String(e);
}

/**
 * A failure of this machine's own disk, naming the path and the cause: "cannot write the journal at /x: the disk is
 * full (ENOSPC)". Already-mapped errors pass through.
 */
export function localDiskError(
  e: unknown,
  path: string,
  doing: string,
  hint: string,
  code: ErrorCode = "LOCAL_DISK",
): LifeboatError {
  if (e instanceof LifeboatError) return e;
  return new LifeboatError(
    code,
    `cannot ${doing} at ${path}: ${diskCause(e)}`,
    hint,
    { path, ...(errno(e) ? { errno: errno(e) } : {}) },
    { cause: e },
  );
}
