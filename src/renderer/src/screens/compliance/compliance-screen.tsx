// The compliance report in the console: for a profile or all, a period (by default the twelve months up to now) and a
// control set, each item's verdict judged by the engine from evidence only, what it cites (journal records by seq and
// hash, manifests by id and sha256) and what it could not see; exported through the same channel as the terminal's.
import { useId, useState, type FormEvent } from "react";
import type { ResultOf } from "../../api/invoke.ts";
import { useApp } from "../../app-context.tsx";
import { Card } from "../../components/card.tsx";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { ProfileOptions } from "../../components/profile-options.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { formatDuration } from "../../../../shared/format.ts";
import { periodText, reportTitle, SECTION_TITLE, sections } from "../../../../shared/compliance/report-text.ts";
import { ComplianceExport } from "./compliance-export.tsx";
import {
  DEFAULT_SCOPE_FORM,
  scopeOf,
  type ControlSet,
  type ReportScope,
  type ScopeForm as Form,
} from "./compliance-scope.ts";
import { ComplianceItemView, VerdictBadge, VerdictTable } from "./compliance-item.tsx";

const CONTROL_SETS: { value: ControlSet; label: string }[] = [
  { value: "hipaa", label: "HIPAA §164.308(a)(7) and the checklist" },
  { value: "aws-backup", label: "AWS Backup Audit Manager" },
];

function ScopeFields({ onApply, busy }: { onApply: (f: Form) => void; busy: boolean }) {
  const id = useId();
  const { profiles } = useApp();
  const [f, setF] = useState<Form>(DEFAULT_SCOPE_FORM);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(f);
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="What the report covers">
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-profile`}>Profile</label>
          <select id={`${id}-profile`} value={f.profile} onChange={(e) => setF({ ...f, profile: e.target.value })}>
            <option value="">All profiles</option>
            <ProfileOptions profiles={profiles} />
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From (UTC day)</label>
          <input id={`${id}-from`} type="date" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To (UTC day)</label>
          <input id={`${id}-to`} type="date" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-set`}>Controls</label>
          <select
            id={`${id}-set`}
            value={f.controlSet}
            onChange={(e) => setF({ ...f, controlSet: e.target.value as ControlSet })}
          >
            {CONTROL_SETS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted">
        Empty dates: the twelve months up to now. Each verdict is judged from the journal, the manifests and what the
        stores hold, never from a profile&apos;s settings.
      </p>
      <div className="row">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Evaluating…" : "Evaluate"}
        </button>
      </div>
    </form>
  );
}

function Overview({ r }: { r: ResultOf<"compliance.report"> }) {
  return (
    <>
      <p role="status" className="row" aria-label="Verdict counts">
        <VerdictBadge verdict="PASS" count={r.summary.pass} />
        <VerdictBadge verdict="FAIL" count={r.summary.fail} />
        <VerdictBadge verdict="NOT_EVIDENCED" count={r.summary.notEvidenced} />
      </p>
      <KeyValues
        label="Report"
        items={[
          ["Report", reportTitle(r)],
          ["Period", periodText(r)],
          ["Profiles", r.profiles.map((p) => p.name).join(", ") || "none"],
          [
            "Evidence",
            `${r.evidenceCounts.records} journal records from ${r.evidenceCounts.journals} journal(s), ${r.evidenceCounts.manifests} manifests`,
          ],
          [
            "Targets",
            r.profiles
              .map(
                (p) =>
                  `${p.name}: RTO ${formatDuration(p.rtoMinutes * 60_000)}, RPO ${formatDuration(p.rpoMinutes * 60_000)}`,
              )
              .join("; ") || "—",
          ],
        ]}
      />
      <section aria-label="What this report could not see">
        <h3>What this report could not see</h3>
        {r.unseen.length ? (
          <ul>
            {r.unseen.map((u, k) => (
              <li key={k}>
                <StatusBadge tone="warn" label="NOT SEEN" /> {u.profile ? `${u.profile}: ` : ""}
                {u.what}: {u.why}
              </li>
            ))}
          </ul>
        ) : (
          <p>Nothing: every store and journal it looked for was read.</p>
        )}
      </section>
    </>
  );
}

export function ComplianceScreen() {
  const [scope, setScope] = useState<ReportScope>(() => scopeOf(DEFAULT_SCOPE_FORM));
  const report = useApi("compliance.report", scope);
  const r = report.data;
  return (
    <>
      <div className="screen-header">
        <h1>Compliance</h1>
      </div>
      <div className="stack">
        <Card title="What the report covers">
          <ScopeFields
            onApply={(f) => {
              setScope(scopeOf(f));
              report.reload();
            }}
            busy={report.loading}
          />
        </Card>
        {report.error ? <ErrorNotice error={report.error} title="The report could not be made" /> : null}
        {report.loading ? <p role="status">Reading the journal and the stores…</p> : null}
        {r ? (
          <>
            <Card title="Summary">
              <Overview r={r} />
            </Card>
            <Card title="Export for the auditor">
              <ComplianceExport scope={scope} report={r} />
            </Card>
            <Card title="Verdicts">
              <VerdictTable items={r.items} />
            </Card>
            {sections(r).map((s) => (
              <Card key={s.section} title={SECTION_TITLE[s.section] ?? s.section}>
                <div className="stack">
                  {s.items.map((i) => (
                    <ComplianceItemView key={`${i.control}/${i.profile ?? ""}`} item={i} />
                  ))}
                </div>
              </Card>
            ))}
          </>
        ) : null}
      </div>
    </>
  );
}
