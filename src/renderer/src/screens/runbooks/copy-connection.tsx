// Copy buttons for a recovery branch's connection strings (direct and pooled): the runbook's manual commands (psql,
// pg_dump) need them. The string has the branch's password, so no ordinary answer carries it: each press asks the one
// channel that reveals it (neon.connectionString, journaled without the value), writes it to the clipboard and drops
// it. It is never rendered, never kept in state, never stored (no localStorage).
import { useState } from "react";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";

export function CopyConnection({ profile, branch, label }: { profile: string; branch: string; label: string }) {
  const [copied, setCopied] = useState<string>();
  const [error, setError] = useState<ErrorInfo>();
  const copy = async (pooled: boolean) => {
    setError(undefined);
    setCopied(undefined);
    const r = await invoke("neon.connectionString", { profile, branch, pooled });
    if (!r.ok) return setError(r.error);
    try {
      await navigator.clipboard.writeText(r.value.uri);
      setCopied(pooled ? "pooled" : "direct");
    } catch {
      setError({
        code: "USAGE",
        message: "The browser did not allow writing to the clipboard.",
        hint: "Allow clipboard access for this page, or use `lifeboat neon recover-to --save-uri` from a terminal.",
      });
    }
  };
  return (
    <div className="stack" role="group" aria-label={label}>
      <div className="row">
        <button type="button" className="btn quiet" onClick={() => void copy(false)}>
          Copy connection string
        </button>
        <button type="button" className="btn quiet" onClick={() => void copy(true)}>
          Copy pooled connection string
        </button>
      </div>
      {copied ? (
        <p role="status" className="muted">
          Copied the {copied} connection string of {branch} (with its password) to the clipboard; it is not shown or
          kept here.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} title="The connection string was not copied" /> : null}
    </div>
  );
}
