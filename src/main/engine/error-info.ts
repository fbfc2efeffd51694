import type { z } from "zod";
import { isLifeboatError, type ErrorInfo } from "../../shared/errors.ts";
import { redactDeep, redactText } from "../secrets/redact.ts";

/** Any failure as the renderer may see it: a LifeboatError keeps its code and hint; anything else is INTERNAL. Never a stack. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isLifeboatError(e)) return redactDeep(e.toInfo());
  const message = e instanceof Error ? e.message : String(e);
  return {
    code: "INTERNAL",
    message: redactText(`Unexpected error: ${message.split("\n")[0]}`),
    hint: "This is a bug in Lifeboat. Run it again with LIFEBOAT_DEBUG=1 (in the terminal that started Lifeboat) for the stack trace, and report it.",
  };
}

/** "field.path: what is wrong" for the first few issues; never echoes the offending value (it may be a secret). */
export function describeIssues(error: z.ZodError, max = 5): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join(".") : "(payload)"}: ${i.message}`)
    .join("; ");
}
