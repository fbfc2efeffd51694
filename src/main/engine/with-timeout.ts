import { LifeboatError, type ErrorCode } from "../../shared/errors.ts";

/** Rejects with `code` when `p` has not settled in `ms`; the dashboard shows a slow part as unreachable, not a hang. */
export function withTimeout<T>(p: Promise<T>, ms: number, code: ErrorCode, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LifeboatError(
            code,
            `${what} did not answer within ${ms} ms.`,
            "It is shown as unreachable; refresh to try again.",
          ),
        ),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
