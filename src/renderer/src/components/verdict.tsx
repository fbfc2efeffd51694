// One computed PASS or FAIL and the reason, as the engine worked it out: a test's result is never a checkbox the
// operator ticks. The checks it was made from are listed under it.
import { StatusBadge } from "./status-badge.tsx";

export interface VerdictCheck {
  name: string;
  pass: boolean;
  detail: string;
}

export function Verdict({
  pass,
  reason,
  checks,
  label = "Verdict",
}: {
  pass: boolean;
  reason: string;
  checks?: VerdictCheck[];
  label?: string;
}) {
  return (
    <section className={`verdict tone-${pass ? "ok" : "critical"}`} aria-label={label}>
      <p className="verdict-line">
        <StatusBadge tone={pass ? "ok" : "critical"} label={pass ? "PASS" : "FAIL"} />
        <span className="verdict-reason">{reason}</span>
      </p>
      {checks?.length ? (
        <ul className="verdict-checks">
          {checks.map((c) => (
            <li key={c.name}>
              <strong>{c.pass ? "passed" : "FAILED"}</strong>: {c.name} {c.detail}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
