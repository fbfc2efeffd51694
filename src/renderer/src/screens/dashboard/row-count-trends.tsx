// Key tables' exact row counts across the backups (each taken inside the dump's own snapshot), as a table with a
// small line per table: the seed detects Scenario 1 by "a sudden drop in record counts", so a drop is named in words
// and colour, not left to the eye.
import type { RowCountTrend } from "../../../../shared/api/channels/dashboard-channels.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatTime } from "../../../../shared/format.ts";
import { formatNumber } from "../../lib/format.ts";

const W = 120;
const H = 28;

function Sparkline({ t }: { t: RowCountTrend }) {
  const rows = t.points.map((p) => p.rows);
  if (rows.length < 2) return <span className="muted">one backup</span>;
  // Scaled to the series' own range, so a tenth of a table going is a visible fall, not a pixel.
  const max = Math.max(...rows);
  const min = Math.min(...rows);
  const x = (i: number) => (i / (rows.length - 1)) * (W - 4) + 2;
  const y = (r: number) => (max === min ? H / 2 : H - 3 - ((r - min) / (max - min)) * (H - 6));
  const d = rows.map((r, i) => `${i ? "L" : "M"}${x(i).toFixed(1)} ${y(r).toFixed(1)}`).join(" ");
  const first = t.points[0]!;
  const last = t.points[t.points.length - 1]!;
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${t.table}: ${formatNumber(first.rows)} rows at ${formatTime(first.at)}, ${formatNumber(last.rows)} at ${formatTime(last.at)}, ${rows.length} backups`}
    >
      <path d={d} fill="none" stroke={t.dropped ? "var(--critical)" : "var(--chart)"} strokeWidth={2} />
      <circle cx={x(rows.length - 1)} cy={y(last.rows)} r={3} fill={t.dropped ? "var(--critical)" : "var(--chart)"} />
    </svg>
  );
}

function Change({ t }: { t: RowCountTrend }) {
  if (t.missing) return <StatusBadge tone="critical" label="TABLE MISSING" />;
  if (t.changePercent === undefined) return <span className="muted">—</span>;
  const text = `${t.changePercent > 0 ? "+" : ""}${t.changePercent}%`;
  return t.dropped ? <StatusBadge tone="critical" label={`DROP ${text}`} /> : <span>{text}</span>;
}

export function RowCountTrends({ trends, profile }: { trends: RowCountTrend[]; profile: string }) {
  if (!trends.length) return <p className="muted">No backups yet, so no record counts to compare.</p>;
  return (
    <div className="table-scroll">
      <table className="data" aria-label={`Record counts per key table for ${profile}`}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Over the backups</th>
            <th scope="col" className="num">
              Previous
            </th>
            <th scope="col" className="num">
              Latest
            </th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {trends.map((t) => (
            <tr key={t.table} className={t.dropped ? "row-alarm" : undefined}>
              <td className="mono">{t.table}</td>
              <td>
                <Sparkline t={t} />
              </td>
              <td className="num">{formatNumber(t.previous)}</td>
              <td className="num">{t.missing ? "missing" : formatNumber(t.latest)}</td>
              <td>
                <Change t={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
