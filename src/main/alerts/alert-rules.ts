// The seed's alerts ("Monitoring & Alerts"), as pure functions of what the engine already knows: the store's manifests,
// the journal's test outcomes and Neon's history window. Each returns at most one alert with a stable id.
import type { BackupTestOutcome, RowCountTrend } from "../../shared/api/channels/dashboard-channels.ts";
import type { Alert, AlertAction } from "../../shared/alert.ts";
import type { NeonWindow } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import type { ErrorInfo } from "../../shared/errors.ts";
import { formatDuration } from "../../shared/format.ts";
import type { BackupManifest } from "../../shared/manifest.ts";

const BACKUP_NOW: AlertAction = { kind: "backup", label: "Back up now" };
const CORRUPTION_RUNBOOK: AlertAction = {
  kind: "runbook",
  label: "Start the data-corruption runbook",
  runbook: "scenario-1-data-corruption",
};

/**
 * CRITICAL when there is no committed backup newer than the profile's threshold. The seed's 15 minutes is for Neon's
 * continuous WAL; the default here (1440 min) fits nightly dumps. `backups` is newest first.
 */
export function backupAgeAlert(profile: Profile, backups: BackupManifest[], now: Date): Alert | undefined {
  const max = profile.alerts.maxBackupAgeMinutes;
  const newest = backups[0];
  if (!newest) {
    return {
      id: `${profile.name}:backup-missing`,
      profile: profile.name,
      rule: "backup-missing",
      severity: "CRITICAL",
      title: "No backup exists",
      message: `Profile ${profile.name} has no committed backup in its store.`,
      hint: "Run a backup now, and schedule `lifeboat backup` nightly.",
      action: BACKUP_NOW,
    };
  }
  const age = now.getTime() - Date.parse(newest.finishedAt);
  if (age <= max * 60_000) return undefined;
  return {
    id: `${profile.name}:backup-stale:${newest.id}`,
    profile: profile.name,
    rule: "backup-stale",
    severity: "CRITICAL",
    title: "Last backup is too old",
    message: `The newest backup of ${profile.name} finished ${formatDuration(age)} ago; the threshold is ${formatDuration(max * 60_000)}.`,
    hint: "Run a backup now and check why the scheduled one did not run (cron/systemd logs, the journal).",
    action: BACKUP_NOW,
    since: new Date(Date.parse(newest.finishedAt) + max * 60_000).toISOString(),
    details: { lastBackupId: newest.id, ageMinutes: Math.round(age / 60_000), thresholdMinutes: max },
  };
}

/** HIGH when the last backup test (deep verify or drill) failed: the backups may not restore. */
export function backupTestAlert(profile: Profile, last: BackupTestOutcome | undefined): Alert | undefined {
  if (!last || last.ok) return undefined;
  return {
    id: `${profile.name}:backup-test-failed:${last.seq}`,
    profile: profile.name,
    rule: "backup-test-failed",
    severity: "HIGH",
    title: "Last backup test failed",
    message: `${last.summary} failed (journal #${last.seq}).`,
    hint: "Open the journal record for the error, fix it, and run the test again before relying on the backups.",
    action: { kind: "runbook", label: "Run the weekly backup test again", runbook: "weekly-backup-test" },
    since: last.ts,
    details: { seq: last.seq, kind: last.kind },
  };
}

/**
 * MEDIUM "possible data loss" when the newest backup is smaller than the one before by more than the profile's percent.
 * Compared on the uncompressed archive size when both manifests have it, so a change of compression does not look like
 * lost data; otherwise on the stored size, but only between backups compressed the same way.
 */
export function comparableSizes(newest: BackupManifest, previous: BackupManifest): [number, number] | undefined {
  if (newest.dumpBytes !== undefined && previous.dumpBytes !== undefined) return [newest.dumpBytes, previous.dumpBytes];
  if (newest.compression.algorithm === previous.compression.algorithm)
    return [newest.object.bytes, previous.object.bytes];
  return undefined;
}

export function backupSizeAlert(profile: Profile, backups: BackupManifest[]): Alert | undefined {
  const [newest, previous] = backups;
  const sizes = newest && previous ? comparableSizes(newest, previous) : undefined;
  if (!newest || !previous || !sizes || sizes[1] <= 0) return undefined;
  const [now, before] = sizes;
  const drop = (before - now) / before;
  if (drop * 100 <= profile.alerts.sizeDropPercent) return undefined;
  return {
    id: `${profile.name}:backup-size-drop:${newest.id}`,
    profile: profile.name,
    rule: "backup-size-drop",
    severity: "MEDIUM",
    title: "Backup size dropped: possible data loss",
    message: `Backup ${newest.id} is ${Math.round(drop * 100)}% smaller than ${previous.id} (${now} vs ${before} bytes).`,
    hint: "Compare the row counts of the two manifests; if rows were deleted by mistake, follow the data-corruption runbook.",
    action: CORRUPTION_RUNBOOK,
    since: newest.finishedAt,
    details: { backup: newest.id, previous: previous.id, dropPercent: Math.round(drop * 1000) / 10 },
  };
}

/**
 * HIGH when Neon's history window is shorter than the profile requires. The window is the fastest way back in all three
 * seed scenarios; if it is short, a corruption found late can only be recovered from the last nightly dump (losing up to a
 * day). Not CRITICAL because those dumps still exist — that case is the backup-age alert's.
 */
export function neonWindowAlert(
  profile: Profile,
  window: Pick<NeonWindow, "retentionSeconds" | "requiredSeconds"> | undefined,
): Alert | undefined {
  if (!window?.requiredSeconds || window.retentionSeconds >= window.requiredSeconds) return undefined;
  return {
    // Not keyed by the window's length: a young project's window grows every second, and that is one condition.
    id: `${profile.name}:neon-window-short`,
    profile: profile.name,
    rule: "neon-window-short",
    severity: "HIGH",
    title: "Neon history window is too short",
    message: `Neon keeps ${formatDuration(window.retentionSeconds * 1000)} of history; profile ${profile.name} requires ${formatDuration(window.requiredSeconds * 1000)}.`,
    hint: "Raise the project's history retention in Neon (plan permitting), or lower neon.requiredRecoveryWindowHours if the shorter window is accepted.",
    action: { kind: "settings", label: "Open the profile's settings" },
    details: { retentionSeconds: window.retentionSeconds, requiredSeconds: window.requiredSeconds },
  };
}

/** The database (CRITICAL: the seed's "DB connectivity loss" starts the escalation) or the backup store (HIGH) cannot be reached. */
export function unreachableAlert(
  profile: Profile,
  what: "database" | "storage",
  error: ErrorInfo | undefined,
): Alert | undefined {
  if (!error) return undefined;
  const db = what === "database";
  return {
    id: `${profile.name}:source-unreachable:${what}`,
    profile: profile.name,
    rule: "source-unreachable",
    severity: db ? "CRITICAL" : "HIGH",
    title: db ? "Database unreachable" : "Backup store unreachable",
    message: `${db ? `The database of ${profile.name}` : `The backup store of ${profile.name}`} cannot be reached: ${error.message}`,
    hint: db
      ? "If it stays down, start the complete-database-loss runbook; page the on-call DBA."
      : "Backups cannot be made or checked until the store answers; check the network, the bucket and its credentials.",
    details: { code: error.code },
    action: db
      ? { kind: "runbook", label: "Start the complete-database-loss runbook", runbook: "scenario-2-database-loss" }
      : { kind: "profile-test", label: "Test the profile's connections" },
  };
}

/**
 * HIGH when a key table lost more than alerts.rowDropPercent of its rows (or vanished) since the previous backup: the
 * seed's "sudden drop in record counts", usually the first sign of Scenario 1.
 */
export function rowCountAlert(profile: Profile, trends: RowCountTrend[], newestId: string): Alert | undefined {
  const dropped = trends.filter((t) => t.dropped);
  if (!dropped.length) return undefined;
  const what = dropped
    .map((t) =>
      t.missing
        ? `${t.table} is missing (had ${t.previous} rows)`
        : `${t.table} ${t.previous} → ${t.latest} rows (${t.changePercent}%)`,
    )
    .join("; ");
  return {
    id: `${profile.name}:row-count-drop:${newestId}`,
    profile: profile.name,
    rule: "row-count-drop",
    severity: "HIGH",
    title: "Record counts dropped: possible data loss or corruption",
    message: `Since the previous backup: ${what} (threshold ${profile.alerts.rowDropPercent}%).`,
    hint: "Find when the rows went (audit log) and recover them from a Neon branch at the last good second.",
    details: { backup: newestId, tables: dropped.map((t) => t.table) },
    action: CORRUPTION_RUNBOOK,
  };
}
