// The incident's own words, at any time while it is open: a note, a decision or a follow-up, added from the console
// (the terminal's `incident note` does the same through the same channel). Each shows in full, newest first.
import { useId, useState } from "react";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { formatTime } from "../../../../shared/format.ts";

type Kind = "note" | "decision" | "follow-up";
const KINDS: { value: Kind; label: string }[] = [
  { value: "note", label: "Note" },
  { value: "decision", label: "Decision" },
  { value: "follow-up", label: "Follow-up" },
];

export function IncidentLog({ incident, open }: { incident: string; open: boolean }) {
  const id = useId();
  const report = useApi("incidents.get", { id: incident });
  const [kind, setKind] = useState<Kind>("note");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo>();
  const [added, setAdded] = useState<string>();

  const add = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(undefined);
    const r = await invoke("incidents.note", { incident, text, kind });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setAdded(`${KINDS.find((k) => k.value === kind)!.label} recorded as journal record #${r.value.seq}.`);
    setText("");
    report.reload();
  };

  const r = report.data;
  const entries = r
    ? [
        ...r.notes.map((n) => ({ ...n, kind: "Note" })),
        ...r.decisions.map((n) => ({ ...n, kind: "Decision" })),
        ...r.followUps.map((n) => ({ ...n, kind: "Follow-up" })),
      ].sort((a, b) => b.seq - a.seq)
    : [];
  return (
    <section className="card stack" aria-label="Incident log">
      <h2>Incident log</h2>
      {open ? (
        <form
          className="stack"
          aria-label="Add to the incident"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <fieldset className="row">
            <legend>Record as</legend>
            {KINDS.map((k) => (
              <label key={k.value} className="check">
                <input type="radio" name={`${id}-kind`} checked={kind === k.value} onChange={() => setKind(k.value)} />
                {k.label}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-text`}>What happened, what was decided, what is left to do</label>
            <textarea id={`${id}-text`} value={text} maxLength={10000} onChange={(e) => setText(e.target.value)} />
          </div>
          <div>
            <button type="submit" className="btn" disabled={busy || !text.trim()}>
              Add to the incident
            </button>
          </div>
          {added ? <p role="status">{added}</p> : null}
          {error ? <ErrorNotice error={error} title="Not recorded" /> : null}
        </form>
      ) : (
        <p className="muted">The incident is closed: its record is final.</p>
      )}
      {entries.length ? (
        <ul className="log-entries" aria-label="Notes, decisions and follow-ups">
          {entries.map((e) => (
            <li key={e.seq}>
              <span className="muted">
                {formatTime(e.ts)} · {e.by} · <strong>{e.kind}</strong>
              </span>
              <p className="words">{e.text}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No notes, decisions or follow-ups yet.</p>
      )}
    </section>
  );
}
