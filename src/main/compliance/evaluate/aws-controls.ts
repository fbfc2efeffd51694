// AWS Backup Audit Manager's controls, judged from the same evidence as the HIPAA checklist: recovery points are the
// committed backups, the vault is the store, and a control is met by what the backups and the stores show, not by
// the plan that should have produced them.
import { formatDate, formatDuration, formatTime } from "../../../shared/format.ts";
import { AWS_DEFAULTS } from "../../../shared/compliance/controls.ts";
import { findGaps } from "./backup-gaps.ts";
import { holds, protections } from "./backup-protection.ts";
import { committedBackups, gapText } from "./daily-backups.ts";
import type { EvidenceIndex, Period } from "./evidence-index.ts";
import { DAY_MS, factTable, idTimeMs, plural, result, type ItemResult } from "./item-result.ts";
import { lockText } from "./retention.ts";
import { RESTORE_COLUMNS, restoreRow, restoreTests } from "./restore-tests.ts";

function unreachable(ix: EvidenceIndex, profile: string): string[] {
  const s = ix.primary(profile);
  return s && !s.reachable ? [`the backup store (${s.description}): ${s.error ?? "unreachable"}`] : [];
}

/** Backup frequency at least every day: the interval between consecutive recovery points, however they were made. */
export function awsFrequency(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const t = ix.targets(profile);
  const all = committedBackups(ix, profile);
  const unseen = unreachable(ix, profile);
  if (!all.length && unseen.length) return result("NOT_EVIDENCED", "The backup store could not be read.", { unseen });
  const threshold = AWS_DEFAULTS.frequencyDays * DAY_MS * t.toleranceCadences;
  const inside = all.filter((b) => b.startedMs >= period.fromMs && b.startedMs <= period.toMs);
  const before = all.filter((b) => b.startedMs < period.fromMs).at(-1);
  const gaps = findGaps(
    inside.map((b) => b.startedMs),
    before?.startedMs,
    period,
    threshold,
  );
  const tables = [
    factTable(
      `Intervals longer than ${formatDuration(threshold)} (1 day times ${t.toleranceCadences})`,
      ["From", "To", "Without a recovery point"],
      gaps.map((g) => [formatTime(g.fromMs), formatTime(g.toMs), formatDuration(g.toMs - g.fromMs)]),
    ),
  ];
  const evidence = inside.flatMap((b) => b.refs.slice(0, 2));
  if (!inside.length) return result("FAIL", "No recovery point was created in the period.", { tables, unseen });
  if (gaps.length)
    return result("FAIL", `${plural(gaps.length, "interval")} between recovery points longer than a day.`, {
      findings: gaps.map(gapText),
      tables,
      evidence,
      unseen,
    });
  return result(
    "PASS",
    `${plural(inside.length, "recovery point")}, never more than ${formatDuration(threshold)} apart.`,
    {
      tables,
      evidence,
      unseen,
    },
  );
}

/** Minimum retention: each recovery point of the period is kept at least 35 days, by the policy it recorded. */
export function awsMinRetention(ix: EvidenceIndex, profile: string, period: Period, now: number): ItemResult {
  const unseen = unreachable(ix, profile);
  const list = protections(ix, profile, now).filter(
    (p) => p.backup.startedMs >= period.fromMs && p.backup.startedMs <= period.toMs,
  );
  if (!list.length) return result("NOT_EVIDENCED", "No recovery point of the period could be seen.", { unseen });
  const unknown = list.filter((p) => p.keptDays === undefined);
  const short = list.filter((p) => p.keptDays !== undefined && p.keptDays < AWS_DEFAULTS.minRetentionDays);
  const deletedEarly = ix.ended("prune.delete", profile).filter((r) => {
    const id = String(r.details.id ?? "");
    const made = ix.backups(profile).find((b) => b.m.id === id)?.startedMs ?? idTimeMs(id);
    return r.outcome === "ok" && Date.parse(r.ts) - made < AWS_DEFAULTS.minRetentionDays * DAY_MS;
  });
  const tables = [
    factTable(
      `Recovery points kept less than ${AWS_DEFAULTS.minRetentionDays} days`,
      ["Recovery point", "Made", "Kept (days)"],
      [
        ...short.map((p) => [p.backup.m.id, formatDate(p.backup.startedMs), String(p.keptDays)]),
        ...deletedEarly.map((r) => [String(r.details.id), "—", `deleted ${formatTime(r.ts)}`]),
      ],
    ),
  ];
  const evidence = [
    ...short.map((p) => p.backup.ref),
    ...deletedEarly.map((r) => r.ref),
    ...list.slice(-1).map((p) => p.backup.ref),
  ];
  const findings = [
    ...short.map((p) => `${p.backup.m.id} is kept ${p.keptDays} days.`),
    ...deletedEarly.map(
      (r) =>
        `${String(r.details.id)} was deleted on ${formatTime(r.ts)}, before ${AWS_DEFAULTS.minRetentionDays} days.`,
    ),
  ];
  if (short.length || deletedEarly.length)
    return result(
      "FAIL",
      `${plural(short.length + deletedEarly.length, "recovery point")} kept less than ${AWS_DEFAULTS.minRetentionDays} days.`,
      { findings, tables, evidence, unseen },
    );
  if (unknown.length)
    return result(
      "NOT_EVIDENCED",
      `${plural(unknown.length, "recovery point")} of the period record${unknown.length === 1 ? "s" : ""} no retention policy.`,
      { findings, tables, evidence: [...evidence, ...unknown.slice(-3).map((p) => p.backup.ref)], unseen },
    );
  return result(
    "PASS",
    `Every one of the ${plural(list.length, "recovery point")} of the period is kept at least ${AWS_DEFAULTS.minRetentionDays} days.`,
    { tables, evidence: list.map((p) => p.backup.ref), unseen },
  );
}

/** Manual deletion blocked: every retained recovery point is held by a lock now. */
export function awsDeletionLocked(ix: EvidenceIndex, profile: string, now: number): ItemResult {
  const unseen = unreachable(ix, profile);
  const list = protections(ix, profile, now);
  if (!list.length) return result("NOT_EVIDENCED", "No retained recovery point could be seen.", { unseen });
  const open = list.filter((p) => !holds(p));
  const drills = ix.ended("protection.drill", profile);
  const tables = [
    factTable(
      "Recovery points that can be deleted",
      ["Recovery point", "Made", "Lock"],
      open.map((p) => [p.backup.m.id, formatDate(p.backup.startedMs), lockText(p)]),
    ),
    factTable(
      "Ransomware drills (delete and overwrite with the profile's own keys)",
      ["When", "Result", "Record"],
      drills.map((r) => [
        formatTime(r.ts),
        r.outcome === "ok" ? "the store refused: passed" : "FAILED",
        `#${r.ref.seq}`,
      ]),
    ),
  ];
  const evidence = [...open.map((p) => p.backup.ref), ...drills.map((r) => r.ref)];
  if (open.length)
    return result(
      "FAIL",
      `${plural(open.length, "retained recovery point")} of ${list.length} can be deleted: no lock holds ${open.length === 1 ? "it" : "them"}.`,
      {
        findings: open.map((p) => `${p.backup.m.id}: ${lockText(p)}.`),
        tables,
        evidence,
        unseen,
      },
    );
  return result("PASS", `All ${plural(list.length, "retained recovery point")} are locked against deletion.`, {
    tables,
    evidence: [...list.map((p) => p.backup.ref), ...drills.map((r) => r.ref)],
    unseen,
  });
}

/** Restore time meets the target: the most recent passed restore test against the profile's RTO. */
export function awsRestoreTime(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const t = ix.targets(profile);
  const tests = restoreTests(ix, profile, period, ["drill.restore", "verify.deep"]).filter(
    (x) => x.pass && x.restoreMs !== undefined,
  );
  const tables = [factTable("Passed restore tests", RESTORE_COLUMNS, tests.map(restoreRow))];
  const latest = tests.at(-1);
  if (!latest) return result("NOT_EVIDENCED", "No passed restore test with a measured time in the period.", { tables });
  const ok = latest.restoreMs! <= t.rtoMinutes * 60_000;
  return result(
    ok ? "PASS" : "FAIL",
    `The latest passed restore test (${formatTime(latest.startedMs)}) took ${formatDuration(latest.restoreMs!)} against a target of ${formatDuration(t.rtoMinutes * 60_000)}.`,
    {
      tables,
      evidence: tests.map((x) => x.record.ref),
      findings: ok
        ? []
        : [
            `Restore time ${formatDuration(latest.restoreMs!)} is over the ${formatDuration(t.rtoMinutes * 60_000)} target.`,
          ],
    },
  );
}
