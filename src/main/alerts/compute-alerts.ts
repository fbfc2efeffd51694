import type { BackupTestOutcome } from "../../shared/api/channels/dashboard-channels.ts";
import { severityRank, type Alert } from "../../shared/alert.ts";
import type { NeonWindow } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import type { ErrorInfo } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { RowCountTrend } from "../../shared/api/channels/dashboard-channels.ts";
import {
  backupAgeAlert,
  backupSizeAlert,
  backupTestAlert,
  neonWindowAlert,
  rowCountAlert,
  unreachableAlert,
} from "./alert-rules.ts";

export interface AlertInputs {
  profile: Profile;
  now: Date;
  /** Committed backups, newest first; undefined when the store could not be listed. */
  backups?: BackupManifest[];
  storageError?: ErrorInfo;
  databaseError?: ErrorInfo;
  lastTest?: BackupTestOutcome;
  neonWindow?: Pick<NeonWindow, "retentionSeconds" | "requiredSeconds">;
  /** Key tables' row counts over the backups (from the same manifests). */
  rowCounts?: RowCountTrend[];
}

/** Every open alert for one profile, worst first. Pure: the same inputs give the same alerts. */
export function computeAlerts(i: AlertInputs): Alert[] {
  const alerts = [
    unreachableAlert(i.profile, "database", i.databaseError),
    unreachableAlert(i.profile, "storage", i.storageError),
    // Backups that could not be listed are unknown, not missing: the storage alert says so instead.
    i.backups ? backupAgeAlert(i.profile, i.backups, i.now) : undefined,
    i.backups ? backupSizeAlert(i.profile, i.backups) : undefined,
    i.backups?.[0] && i.rowCounts ? rowCountAlert(i.profile, i.rowCounts, i.backups[0].id) : undefined,
    backupTestAlert(i.profile, i.lastTest),
    neonWindowAlert(i.profile, i.neonWindow),
  ].filter((a): a is Alert => !!a);
  return sortAlerts(alerts);
}

export function sortAlerts(alerts: Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.profile.localeCompare(b.profile) ||
      a.id.localeCompare(b.id),
  );
}
