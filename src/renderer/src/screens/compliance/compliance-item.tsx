// One verdict of the compliance report as the console shows it: the control, its verdict in words and colour, why, the
// findings an auditor follows up, the facts behind it, what it could not see, and its citations (journal records by
// seq and hash, manifests by id and sha256), worded as in every export.
import type { ResultOf } from "../../api/invoke.ts";
import { StatusBadge, type Tone } from "../../components/status-badge.tsx";
import { CITATIONS_SHOWN, itemHeading, refText, VERDICT_LABEL } from "../../../../shared/compliance/report-text.ts";

type Report = ResultOf<"compliance.report">;
type Item = Report["items"][number];
type Verdict = Item["verdict"];
type FactTable = Item["tables"][number];

const TONE: Record<Verdict, Tone> = { PASS: "ok", FAIL: "critical", NOT_EVIDENCED: "warn" };

export function VerdictBadge({ verdict, count }: { verdict: Verdict; count?: number }) {
  return (
    <StatusBadge tone={TONE[verdict]} label={`${count !== undefined ? `${count} ` : ""}${VERDICT_LABEL[verdict]}`} />
  );
}

const anchor = (i: Item) => `compliance-${i.control}-${i.profile ?? "organization"}`.replace(/[^A-Za-z0-9_-]/g, "-");

export function VerdictTable({ items }: { items: Item[] }) {
  return (
    <div className="table-scroll">
      <table className="data" aria-label="Verdicts">
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Profile</th>
            <th scope="col">Verdict</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={anchor(i)} aria-label={itemHeading(i)}>
              <td>
                <a href={`#${anchor(i)}`}>{itemHeading(i).replace(/ — .*$/, "")}</a>
              </td>
              <td className="nowrap">{i.profile ?? "organization"}</td>
              <td>
                <VerdictBadge verdict={i.verdict} />
              </td>
              <td>{i.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Facts({ t }: { t: FactTable }) {
  if (!t.rows.length) return null;
  return (
    <details>
      <summary>
        {t.title} ({t.total > t.rows.length ? `the last ${t.rows.length} of ${t.total}; all in the JSON` : t.total})
      </summary>
      <div className="table-scroll">
        <table className="data" aria-label={t.title}>
          <thead>
            <tr>
              {t.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.map((row, k) => (
              <tr key={k}>
                {row.map((cell, n) => (
                  <td key={n}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function ComplianceItemView({ item: i }: { item: Item }) {
  const heading = itemHeading(i);
  const cites = i.evidence.slice(-CITATIONS_SHOWN);
  return (
    <article
      id={anchor(i)}
      className="card"
      style={{ borderLeft: `5px solid var(--${TONE[i.verdict]})` }}
      aria-label={heading}
    >
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h3>{heading}</h3>
        <VerdictBadge verdict={i.verdict} />
      </div>
      <p className="muted">
        {i.requirement}
        {i.hipaa ? ` (${i.hipaa})` : ""}
      </p>
      <p>
        <strong>{VERDICT_LABEL[i.verdict]}.</strong> {i.reason}
      </p>
      {i.findings.length ? (
        <ul aria-label={`Findings: ${heading}`}>
          {i.findings.map((f, k) => (
            <li key={k}>{f}</li>
          ))}
        </ul>
      ) : null}
      {i.tables.map((t) => (
        <Facts key={t.title} t={t} />
      ))}
      {i.unseen.length ? (
        <ul aria-label={`Not seen: ${heading}`}>
          {i.unseen.map((u, k) => (
            <li key={k}>Not seen: {u}</li>
          ))}
        </ul>
      ) : null}
      {i.evidence.length ? (
        <>
          <p className="muted">
            Evidence: {i.evidence.length} citation(s)
            {i.evidence.length > CITATIONS_SHOWN
              ? `, the last ${CITATIONS_SHOWN} shown; all are in the JSON export`
              : ""}
          </p>
          <ul className="mono" aria-label={`Evidence: ${heading}`}>
            {cites.map((e) => (
              <li key={e.type === "record" ? `${e.journal}#${e.seq}` : `${e.store}:${e.key}`}>{refText(e)}</li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">No evidence cited.</p>
      )}
    </article>
  );
}
