import { useState } from "react";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke, type ResultOf } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { formatNumber } from "../../lib/format.ts";

/** Re-hashes the whole chain: proves no record was edited, removed or reordered since it was written. */
export function VerifyChain() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ResultOf<"journal.verify">>();
  const [error, setError] = useState<ErrorInfo>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    const r = await invoke("journal.verify", {});
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setError(r.error);
  };
  return (
    <div className="stack">
      <div>
        <button type="button" className="btn secondary" onClick={run} disabled={busy}>
          {busy ? "Verifying…" : "Verify the chain"}
        </button>
      </div>
      {error ? <ErrorNotice error={error} title="Verification could not run" /> : null}
      {result ? (
        result.ok ? (
          <div className="notice tone-ok" role="status">
            <strong>Chain intact</strong>
            <p>
              {formatNumber(result.records)} records in {result.segments} segment(s), up to #{result.lastSeq ?? 0}. Head{" "}
              {result.lastHash?.slice(0, 16)}…
            </p>
          </div>
        ) : (
          <div className="notice tone-critical" role="alert">
            <strong>Chain broken: {result.problems.length} problem(s)</strong>
            {result.problems.slice(0, 20).map((p, i) => (
              <p key={i}>
                {p.seq !== undefined ? `#${p.seq}: ` : ""}
                {p.message}
              </p>
            ))}
          </div>
        )
      ) : null}
    </div>
  );
}
