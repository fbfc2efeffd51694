import type { ErrorInfo } from "../../../shared/errors.ts";

/** What went wrong and what to do next, from the engine's error. Never a stack trace. */
export function ErrorNotice({ error, title }: { error: ErrorInfo; title?: string }) {
  return (
    <div className="notice tone-critical" role="alert">
      <strong>{title ?? "Failed"}</strong>
      <p>{error.message}</p>
      {error.hint ? <p className="muted">{error.hint}</p> : null}
    </div>
  );
}

/** Something that could not be reached: shown in place, the rest of the page keeps working. */
export function Unreachable({ what, error }: { what: string; error?: ErrorInfo | undefined }) {
  return (
    <div className="notice tone-unknown" role="status">
      <strong>{what}: unreachable</strong>
      {error ? <p>{error.message}</p> : null}
      {error?.hint ? <p className="muted">{error.hint}</p> : null}
    </div>
  );
}
