import type { ErrorInfo } from "../errors.ts";

/** Every channel answers with this: the renderer never sees a thrown exception. */
export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = (error: ErrorInfo): ApiResult<never> => ({ ok: false, error });
