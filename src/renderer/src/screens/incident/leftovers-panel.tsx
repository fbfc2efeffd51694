// What recovery left running or stored: Lifeboat's Neon branches (each compute runs, and bills, until deleted) and the
// databases a restore left. Shown before and after an incident closes, each with the button that removes it; a
// database is dropped only with its name typed.
import { useId, useState } from "react";
import type { ResultOf } from "../../api/invoke.ts";
import { invoke } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { formatBytes, formatTime } from "../../../../shared/format.ts";
import { leftoverSentence } from "../../../../shared/incidents/leftover-sentence.ts";

type Leftovers = ResultOf<"incidents.leftovers">;
type Db = Leftovers["databases"][number];

function DropDatabase({ d, onDrop }: { d: Db; onDrop: (d: Db, confirm: string) => Promise<void> }) {
  const id = useId();
  const [confirm, setConfirm] = useState("");
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void onDrop(d, confirm);
      }}
    >
      <label htmlFor={id}>Type {d.database} to drop it</label>
      <input id={id} type="text" spellCheck={false} value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      <button type="submit" className="btn danger" disabled={confirm !== d.database}>
        Drop database {d.database}
      </button>
    </form>
  );
}

export function LeftoversPanel({
  profile,
  incident,
  reminder,
}: {
  profile: string;
  incident: string | undefined;
  /** After the close: say loudly what still runs. */
  reminder?: boolean;
}) {
  const q = useApi("incidents.leftovers", { profile, ...(incident ? { incident } : {}) });
  const [result, setResult] = useState<ResultOf<"incidents.cleanUp">>();
  const [busy, setBusy] = useState(false);
  const clean = async (req: {
    branches?: string[];
    databases?: { profile: string; database: string; confirm: string }[];
  }) => {
    setBusy(true);
    const r = await invoke("incidents.cleanUp", { profile, ...req });
    setBusy(false);
    if (r.ok) setResult(r.value);
    q.reload();
  };
  const l = q.data;
  const none = l && !l.branches.length && !l.databases.length;
  const still = l ? leftoverSentence(l) : undefined;
  return (
    <section className="stack" aria-label="Left behind by the recovery">
      <h3>Left behind by the recovery</h3>
      {reminder && still ? (
        <div className="notice tone-warn" role="alert">
          <strong>Reminder: clean up what the recovery left</strong>
          <p>{still}. Branches keep their compute running until deleted.</p>
        </div>
      ) : null}
      {q.loading && !l ? <p>Looking for recovery branches and restored databases…</p> : null}
      {l ? (
        <div>
          {/* A branch made in a terminal meanwhile (lifeboat neon snapshot) shows after a new look. */}
          <button type="button" className="btn quiet" onClick={q.reload} disabled={q.loading}>
            Look again
          </button>
        </div>
      ) : null}
      {q.error ? <ErrorNotice error={q.error} title="Leftovers could not be listed" /> : null}
      {none ? <p>Nothing left behind: no Lifeboat branches, no restored or staging databases.</p> : null}
      {l?.branches.length ? (
        <ul className="leftovers" aria-label="Recovery branches">
          {l.branches.map((b) => (
            <li key={b.id} className="row">
              <span className="mono">{b.name}</span>
              <span className="muted">
                created {formatTime(b.createdAt)}, compute {b.computeState ?? "none"}
              </span>
              {b.fromIncident ? <StatusBadge tone="warn" label="MADE IN THIS INCIDENT" /> : null}
              <button
                type="button"
                className="btn secondary"
                disabled={busy}
                onClick={() => void clean({ branches: [b.name] })}
              >
                Delete branch {b.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {l?.databases.length ? (
        <ul className="leftovers" aria-label="Restored and staging databases">
          {l.databases.map((d) => (
            <li key={`${d.profile}:${d.database}`} className="stack">
              <span>
                <span className="mono">{d.database}</span> on {d.host} · {formatBytes(d.bytes)} ·{" "}
                {d.kind === "staging" ? "staging database of an interrupted restore" : "restored copy"}{" "}
                {d.fromIncident ? <StatusBadge tone="warn" label="MADE IN THIS INCIDENT" /> : null}
              </span>
              <DropDatabase
                d={d}
                onDrop={(x, confirm) => clean({ databases: [{ profile: x.profile, database: x.database, confirm }] })}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {l?.unchecked.map((u) => (
        <p key={u.what} className="notice tone-unknown" role="status">
          Not checked: {u.what}: {u.message}
        </p>
      ))}
      {result?.deleted.length ? (
        <p role="status">Deleted: {result.deleted.map((d) => `${d.what} ${d.name}`).join(", ")}.</p>
      ) : null}
      {result?.failed.map((f) => (
        <ErrorNotice key={f.name} error={f.error} title={`${f.what} ${f.name} not deleted`} />
      ))}
    </section>
  );
}
