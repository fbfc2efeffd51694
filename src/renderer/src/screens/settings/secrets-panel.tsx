// Which secrets a profile needs and whether each is set. Values are write-only: typed here, sent once to secrets.set,
// cleared from the form, and never shown or sent back. "Set" is all the renderer ever learns.
import { useId, useState } from "react";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke } from "../../api/invoke.ts";
import { ErrorNotice, Unreachable } from "../../components/error-notice.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";

function SetSecret({ name, onStored }: { name: string; onStored: () => void }) {
  const id = useId();
  const [value, setValue] = useState("");
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="row"
      style={{ alignItems: "flex-end" }}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await invoke("secrets.set", { name, value });
        setBusy(false);
        setValue("");
        if (r.ok) {
          setError(undefined);
          onStored();
        } else setError(r.error);
      }}
    >
      <div className="field">
        <label htmlFor={id}>New value for {name}</label>
        <input
          id={id}
          type="password"
          autoComplete="new-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </div>
      <button type="submit" className="btn secondary" disabled={!value || busy}>
        Store {name} in keychain
      </button>
      {error ? <ErrorNotice error={error} title="Not stored" /> : null}
    </form>
  );
}

export function SecretsPanel({ profile }: { profile: string }) {
  const q = useApi("secrets.status", { profile });
  const [editing, setEditing] = useState<string>();
  if (q.error) return <Unreachable what="Keychain" error={q.error} />;
  if (!q.data) return <p>Checking the keychain…</p>;
  const { keychain, refs } = q.data;
  return (
    <div className="stack">
      <p>
        <StatusBadge
          tone={keychain.available ? "ok" : "critical"}
          label={keychain.available ? "KEYCHAIN AVAILABLE" : "KEYCHAIN UNAVAILABLE"}
        />{" "}
        <span className="muted">{keychain.backend}</span>
        {keychain.message ? <span> — {keychain.message}</span> : null}
      </p>
      <table className="data" aria-label="Secrets">
        <thead>
          <tr>
            <th scope="col">Used for</th>
            <th scope="col">Reference</th>
            <th scope="col">Value</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {refs.map((r) => {
            const name = r.ref.slice(r.ref.indexOf(":") + 1);
            return (
              <tr key={`${r.field}-${r.ref}`}>
                <td className="mono">{r.field}</td>
                <td className="mono">{r.ref}</td>
                <td>
                  {r.state === "set" ? (
                    <StatusBadge tone="ok" label="SET ••••••••" />
                  ) : r.state === "missing" ? (
                    <StatusBadge tone="critical" label="MISSING" />
                  ) : (
                    <StatusBadge tone="unknown" label="UNAVAILABLE" />
                  )}
                  {r.message ? <div className="muted">{r.message}</div> : null}
                </td>
                <td>
                  {r.kind === "keychain" ? (
                    editing === r.ref ? (
                      <SetSecret
                        name={name}
                        onStored={() => {
                          setEditing(undefined);
                          q.reload();
                        }}
                      />
                    ) : (
                      <button
                        type="button"
                        className="btn quiet"
                        onClick={() => setEditing(r.ref)}
                        aria-label={`${r.state === "set" ? "Replace" : "Set"} ${r.ref}`}
                      >
                        {r.state === "set" ? "Replace" : "Set"}
                      </button>
                    )
                  ) : (
                    <span className="muted">set {name} in the environment</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
