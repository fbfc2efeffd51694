// Daily automated backups: committed backups (a manifest in the store) that a scheduled run made (its schedule.run
// record names the backup), counted per month, with every gap longer than the cadence listed. A backup made by hand
// counts as a backup, not as an automated one.
import { formatDuration, formatTime } from "../../../shared/format.ts";
import type { EvidenceRef } from "../../../shared/compliance/compliance-report.ts";
import { findGaps, type Gap } from "./backup-gaps.ts";
import type { EvidenceIndex, EvManifest, EvRecord, Period } from "./evidence-index.ts";
import { factTable, idTimeMs, plural, result, type ItemResult } from "./item-result.ts";

export interface BackupEvidence {
  id: string;
  startedMs: number;
  /** Its manifest, while the backup is retained. */
  manifest: EvManifest | undefined;
  /** backup.run ok: written only after the manifest committed. */
  made: EvRecord | undefined;
  /** The scheduled run that made it. */
  run: EvRecord | undefined;
  /** prune.delete ok: retention removed it later. */
  pruned: EvRecord | undefined;
  refs: EvidenceRef[];
}

/**
 * Every backup known to have committed: its manifest is in the store now, or the journal recorded it committed
 * (retention may have deleted it since, which a prune.delete record shows). Oldest first.
 */
export function committedBackups(ix: EvidenceIndex, profile: string): BackupEvidence[] {
  const byId = new Map<string, Partial<BackupEvidence>>();
  const at = (id: string) => byId.get(id) ?? (byId.set(id, {}), byId.get(id)!);
  for (const b of ix.backups(profile)) at(b.m.id).manifest = b;
  for (const r of ix.ended("backup.run", profile)) {
    const id = (r.details as { id?: string }).id;
    if (r.outcome === "ok" && id) at(id).made = r;
  }
  for (const r of ix.ended("schedule.run", profile)) {
    const d = r.details as { job?: string; result?: { backupId?: string } };
    if (r.outcome === "ok" && d.job === "backup" && d.result?.backupId && byId.has(d.result.backupId))
      at(d.result.backupId).run = r;
  }
  for (const r of ix.ended("prune.delete", profile)) {
    const id = (r.details as { id?: string }).id;
    if (r.outcome === "ok" && id && byId.has(id)) at(id).pruned = r;
  }
  return [...byId.entries()]
    .map(([id, e]) => {
      const startedMs = e.manifest?.startedMs ?? idTimeMs(id);
      return {
        id,
        startedMs,
        manifest: e.manifest,
        made: e.made,
        run: e.run,
        pruned: e.pruned,
        refs: [e.manifest?.ref, e.made?.ref, e.run?.ref, e.pruned?.ref].filter((x): x is EvidenceRef => !!x),
      };
    })
    .filter((b) => Number.isFinite(b.startedMs))
    .sort((a, b) => a.startedMs - b.startedMs || (a.id < b.id ? -1 : 1));
}

export function gapText(g: Gap): string {
  return `${g.fromLabel ? `from the ${g.fromLabel} (${formatTime(g.fromMs)})` : `after the backup of ${formatTime(g.fromMs)}`} to ${
    g.toLabel ? `the ${g.toLabel} (${formatTime(g.toMs)})` : `the next at ${formatTime(g.toMs)}`
  }: ${formatDuration(g.toMs - g.fromMs)} without one`;
}

export function dailyBackups(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const t = ix.targets(profile);
  const store = ix.primary(profile);
  const all = committedBackups(ix, profile);
  const unseen =
    store && !store.reachable ? [`the backup store (${store.description}): ${store.error ?? "unreachable"}`] : [];
  if (store && !store.reachable && !all.length)
    return result("NOT_EVIDENCED", "The backup store could not be read, so no committed backup could be seen.", {
      unseen,
    });
  const inside = all.filter((b) => b.startedMs >= period.fromMs && b.startedMs <= period.toMs);
  const automated = inside.filter((b) => b.run);
  const manual = inside.filter((b) => !b.run);
  const before = all.filter((b) => b.run && b.startedMs < period.fromMs).at(-1);
  const threshold = t.cadenceMs * t.toleranceCadences;
  const gaps = findGaps(
    automated.map((b) => b.startedMs),
    before?.startedMs,
    period,
    threshold,
  );

  const months = new Map<string, { automated: number; manual: number; retained: number }>();
  for (const b of inside) {
    const k = new Date(b.startedMs).toISOString().slice(0, 7);
    const m = months.get(k) ?? { automated: 0, manual: 0, retained: 0 };
    if (b.run) m.automated++;
    else m.manual++;
    if (b.manifest) m.retained++;
    months.set(k, m);
  }
  const tables = [
    factTable(
      "Committed backups per month",
      ["Month", "Scheduled", "By hand", "Still retained"],
      [...months.entries()].sort().map(([k, m]) => [k, String(m.automated), String(m.manual), String(m.retained)]),
    ),
    factTable(
      `Gaps longer than ${formatDuration(threshold)} (the cadence, ${formatDuration(t.cadenceMs)}, times ${t.toleranceCadences})`,
      ["From", "To", "Without a scheduled backup"],
      gaps.map((g) => [
        g.fromLabel ? `${g.fromLabel} ${formatTime(g.fromMs)}` : formatTime(g.fromMs),
        g.toLabel ? `${g.toLabel} ${formatTime(g.toMs)}` : formatTime(g.toMs),
        formatDuration(g.toMs - g.fromMs),
      ]),
    ),
  ];
  const evidence: EvidenceRef[] = automated.flatMap((b) => b.refs);
  const findings = [
    ...gaps.map(gapText),
    ...(manual.length
      ? [
          `${plural(manual.length, "backup")} in the period ${manual.length === 1 ? "was" : "were"} not made by a scheduled run (no schedule.run record names ${manual.length === 1 ? "it" : "them"}).`,
        ]
      : []),
  ];
  const counted = `${plural(automated.length, "scheduled backup")} committed between ${formatTime(period.fromMs)} and ${formatTime(period.toMs)}`;
  if (!automated.length)
    return result(
      "FAIL",
      `No scheduled backup was committed in the period${manual.length ? ` (${plural(manual.length, "backup")} made by hand)` : ""}.`,
      { findings, tables, evidence: manual.flatMap((b) => b.refs), unseen },
    );
  if (gaps.length)
    return result("FAIL", `${counted}, with ${plural(gaps.length, "gap")} longer than ${formatDuration(threshold)}.`, {
      findings,
      tables,
      evidence,
      unseen,
    });
  return result("PASS", `${counted}; no gap longer than ${formatDuration(threshold)}.`, {
    findings,
    tables,
    evidence,
    unseen,
  });
}
