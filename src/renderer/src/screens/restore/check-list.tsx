import type { Check } from "../../../../shared/api/common-schemas.ts";
import { StatusBadge } from "../../components/status-badge.tsx";

export function CheckList({ checks, label }: { checks: Check[]; label: string }) {
  return (
    <ul className="check-list" aria-label={label}>
      {checks.map((c) => (
        <li key={c.name}>
          <StatusBadge
            tone={c.ok ? "ok" : c.warning ? "warn" : "critical"}
            label={c.ok ? "PASS" : c.warning ? "WARN" : "FAIL"}
          />
          <span>
            <strong>{c.name}</strong> — {c.detail}
          </span>
        </li>
      ))}
    </ul>
  );
}
