// When the problem was detected: the RTO clock runs from it. Given on the start form or corrected later; a correction
// is a journal record of its own, so the first value stays on record.
import { useId, useState } from "react";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { formatTime } from "../../../../shared/format.ts";

export function DetectedAtEditor({
  detectedAt,
  disabled,
  onCorrect,
}: {
  detectedAt: string | undefined;
  disabled?: boolean;
  onCorrect: (at: string, note: string) => Promise<ErrorInfo | undefined>;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [at, setAt] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<ErrorInfo>();
  return (
    <section className="stack" aria-label="Detected at">
      <p>
        Detected at <strong>{formatTime(detectedAt)}</strong>
      </p>
      <div>
        {!editing && !disabled ? (
          <button
            type="button"
            className="btn quiet"
            onClick={() => {
              setAt(detectedAt ?? "");
              setEditing(true);
            }}
          >
            Correct detected at
          </button>
        ) : null}
      </div>
      {editing ? (
        <form
          className="stack"
          onSubmit={async (e) => {
            e.preventDefault();
            const err = await onCorrect(at.trim(), note);
            setError(err);
            if (!err) setEditing(false);
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-at`}>Detected at (UTC, ISO 8601)</label>
            <input id={`${id}-at`} type="text" spellCheck={false} value={at} onChange={(e) => setAt(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>Why (where the earlier time comes from)</label>
            <input id={`${id}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="row">
            <button type="submit" className="btn">
              Save detected at
            </button>
            <button type="button" className="btn quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
          {error ? <ErrorNotice error={error} title="Not corrected" /> : null}
        </form>
      ) : null}
    </section>
  );
}
