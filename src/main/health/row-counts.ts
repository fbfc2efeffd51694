// Record counts of the key tables over time, from what every backup's manifest already holds (exact counts taken in
// the dump's own snapshot), and the seed's detection signal: "a sudden drop in record counts".
import type { RowCountTrend } from "../../shared/api/channels/dashboard-channels.ts";
import { DEFAULT_DRILL_TABLES, type Profile } from "../../shared/config.ts";
import type { BackupManifest } from "../../shared/manifest.ts";

const POINTS = 60;
/** Without key tables of the profile's in the backups, the largest few are followed instead. */
const FALLBACK_TABLES = 6;

function countsOf(m: BackupManifest | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of m?.tables ?? []) out.set(t.schema === "public" ? t.table : `${t.schema}.${t.table}`, t.rows);
  return out;
}

/**
 * The key tables (the profile's drill tables, else the largest) across the newest backups (`backups` newest first),
 * oldest point first. A key table the newest backup no longer holds counts as 0 rows and `missing`.
 */
export function rowCountTrends(profile: Profile, backups: BackupManifest[]): RowCountTrend[] {
  if (!backups.length) return [];
  const latest = countsOf(backups[0]);
  const previous = countsOf(backups[1]);
  const wanted = profile.neon?.drill.tables ?? DEFAULT_DRILL_TABLES;
  let tables = wanted.filter((t) => latest.has(t) || previous.has(t));
  if (!tables.length)
    tables = [...latest.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, FALLBACK_TABLES)
      .map(([t]) => t);
  const series = backups
    .slice(0, POINTS)
    .reverse()
    .map((m) => ({ m, counts: countsOf(m) }));
  return tables.map((table) => {
    const missing = !latest.has(table);
    const now = latest.get(table) ?? 0;
    const before = previous.get(table);
    const changePercent =
      before !== undefined && before > 0 ? Math.round(((now - before) / before) * 1000) / 10 : undefined;
    return {
      table,
      points: series
        .filter((s) => s.counts.has(table))
        .map((s) => ({ id: s.m.id, at: s.m.finishedAt, rows: s.counts.get(table)! })),
      latest: now,
      ...(before !== undefined ? { previous: before } : {}),
      ...(changePercent !== undefined ? { changePercent } : {}),
      ...(missing ? { missing: true } : {}),
      dropped: missing
        ? before !== undefined
        : changePercent !== undefined && -changePercent > profile.alerts.rowDropPercent,
    };
  });
}
