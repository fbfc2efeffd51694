// A running or finished long operation: the progress bar while it runs, a cancel button, then the outcome.
import type { ReactNode } from "react";
import type { ErrorInfo } from "../../../shared/errors.ts";
import type { Progress } from "../../../shared/progress.ts";
import { useNow } from "../hooks/use-now.ts";
import { ErrorNotice } from "./error-notice.tsx";
import { ProgressBar } from "./progress-bar.tsx";

export interface OperationPanelProps {
  label: string;
  running: boolean;
  progress: Progress | undefined;
  startedAt: number | undefined;
  error: ErrorInfo | undefined;
  onCancel?: (() => void) | undefined;
  children?: ReactNode;
}

export function OperationPanel({
  label,
  running,
  progress,
  startedAt,
  error,
  onCancel,
  children,
}: OperationPanelProps) {
  const now = useNow(500);
  return (
    <div className="stack" aria-live="polite">
      {running ? (
        <>
          <ProgressBar label={label} progress={progress} startedAt={startedAt} now={now} />
          {onCancel ? (
            <div>
              <button type="button" className="btn quiet" onClick={onCancel}>
                Cancel {label.toLowerCase()}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
      {error ? <ErrorNotice error={error} title={`${label} failed`} /> : null}
      {!running && !error ? children : null}
    </div>
  );
}
