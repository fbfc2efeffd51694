import { formatBytes, formatTime } from "../../../../shared/format.ts";
import type { ProfileHealth } from "../../../../shared/api/channels/dashboard-channels.ts";
import { severityRank } from "../../../../shared/alert.ts";
import { Unreachable } from "../../components/error-notice.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatAge } from "../../lib/format.ts";
import { ALERT_TONE, AlertList } from "./alert-list.tsx";
import { LazyBackupSizeChart as BackupSizeChart } from "./lazy-backup-size-chart.tsx";
import { HistoryWindowBar } from "./history-window-bar.tsx";
import { LastKnownBackup, LastSeen } from "./last-known.tsx";
import { RowCountTrends } from "./row-count-trends.tsx";

function Overall({ h }: { h: ProfileHealth }) {
  const worst = [...h.alerts].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))[0];
  if (worst) return <StatusBadge tone={ALERT_TONE[worst.severity]} label={worst.severity} />;
  if (!h.database.reachable) return <StatusBadge tone="unknown" label="UNREACHABLE" />;
  return <StatusBadge tone="ok" label="OK" />;
}

function Part({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="health-part" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export function ProfileHealthCard({ h, onChanged }: { h: ProfileHealth; onChanged: () => void }) {
  const rate = h.restoreTests.rate;
  return (
    <section className="card health-card" aria-label={`Profile ${h.profile}`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2>{h.profile}</h2>
        <Overall h={h} />
      </div>
      <div className="health-grid">
        <Part title="Database">
          {h.database.reachable ? (
            <div className="row">
              <StatusBadge tone="ok" label="REACHABLE" />
              <span className="big-figure">
                {h.database.latencyMs !== undefined ? `${Math.round(h.database.latencyMs)} ms` : "—"}
              </span>
            </div>
          ) : (
            <>
              <p>
                <StatusBadge tone="critical" label="UNREACHABLE" />
              </p>
              <LastSeen what="Database" verb="answered" seen={h.lastKnown.database} />
              <Unreachable what="Database" error={h.database.error} />
            </>
          )}
          <p className="muted mono">
            {h.database.host} / {h.database.name}
            {h.database.serverVersion ? ` · PostgreSQL ${h.database.serverVersion}` : ""}
          </p>
        </Part>
        <Part title="Last backup">
          {!h.storage.reachable ? (
            <LastKnownBackup backup={h.lastKnown.backup} />
          ) : h.lastBackup ? (
            <>
              <span
                className={`big-figure ${h.alerts.some((a) => a.rule === "backup-stale" || a.rule === "backup-missing") ? "text-critical" : ""}`}
              >
                {formatAge(h.lastBackup.finishedAt)}
              </span>
              <p className="muted">
                {formatTime(h.lastBackup.finishedAt)} · {formatBytes(h.lastBackup.bytes)}
              </p>
            </>
          ) : (
            <p className="big-figure text-critical">None in the store</p>
          )}
          {!h.storage.reachable ? <Unreachable what="Backup storage" error={h.storage.error} /> : null}
        </Part>
        <Part title="Restore tests">
          {h.lastTest ? (
            <div className="row">
              <StatusBadge tone={h.lastTest.ok ? "ok" : "high"} label={h.lastTest.ok ? "PASSED" : "FAILED"} />
              <span>
                Last verified {formatAge(h.lastTest.ts)} ({h.lastTest.kind})
              </span>
            </div>
          ) : (
            <p>No restore test recorded yet.</p>
          )}
          <p>
            Success rate: <strong>{rate === null ? "no tests" : `${Math.round(rate * 100)}%`}</strong>{" "}
            <span className="muted">
              ({h.restoreTests.passed} of {h.restoreTests.total} in {h.restoreTests.windowDays} days)
            </span>
          </p>
        </Part>
        <Part title="Neon history window">
          {h.neon === undefined ? (
            <p className="muted">No Neon project configured for this profile.</p>
          ) : !h.neon.reachable ? (
            <>
              <LastSeen what="Neon API" verb="answered" seen={h.lastKnown.neon} />
              <Unreachable what="Neon API" error={h.neon.error} />
            </>
          ) : h.neon.window ? (
            <HistoryWindowBar window={h.neon.window} />
          ) : (
            <p className="muted">Neon did not report a history window.</p>
          )}
        </Part>
      </div>
      <Part title="Open alerts">
        <AlertList alerts={h.alerts} label={`Open alerts for ${h.profile}`} onDone={onChanged} />
      </Part>
      <div className="health-charts">
        <Part title="Record counts">
          {h.rowCounts ? (
            <RowCountTrends trends={h.rowCounts} profile={h.profile} />
          ) : (
            <p className="muted">Unknown: the backup store is unreachable, and the counts are in its manifests.</p>
          )}
        </Part>
        <Part title="Backup size over time">
          {h.storage.reachable ? (
            <BackupSizeChart sizes={h.sizes} profile={h.profile} />
          ) : (
            <p className="muted">Unknown: the backup store is unreachable.</p>
          )}
        </Part>
      </div>
    </section>
  );
}
