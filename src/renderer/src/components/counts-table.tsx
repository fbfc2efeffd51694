import type { TableComparison } from "../../../shared/api/channels/backup-channels.ts";
import { formatNumber } from "../lib/format.ts";
import { StatusBadge } from "./status-badge.tsx";

/** Row counts against the manifest, table by table: the proof a restore is right, not merely error-free. */
export function CountsTable({ tables, label }: { tables: TableComparison[]; label: string }) {
  const bad = tables.filter((t) => !t.ok).length;
  return (
    <div className="stack">
      <p>
        {bad === 0 ? (
          <StatusBadge tone="ok" label={`ALL ${tables.length} TABLES MATCH`} />
        ) : (
          <StatusBadge tone="critical" label={`${bad} OF ${tables.length} TABLES DIFFER`} />
        )}
      </p>
      <table className="data" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Manifest rows
            </th>
            <th scope="col" className="num">
              Restored rows
            </th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => (
            <tr key={t.table}>
              <td className="mono">{t.table}</td>
              <td className="num">{formatNumber(t.expected)}</td>
              <td className="num">{t.actual === null ? "missing" : formatNumber(t.actual)}</td>
              <td>
                {t.ok ? <StatusBadge tone="ok" label="MATCH" /> : <StatusBadge tone="critical" label="DIFFERS" />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
