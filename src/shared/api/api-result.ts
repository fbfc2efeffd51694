import { z } from "zod";
import { ERROR_CODES, type ErrorCode, type ErrorInfo } from "../errors.ts";

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** An error as the renderer sees it: code, plain message, what to do next. Never a stack. */
export const ErrorInfoSchema = z.object({
  code: z.enum(CODES),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Every channel answers with this: the renderer never sees a thrown exception. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = (error: ErrorInfo): ApiResult<never> => ({ ok: false, error });
