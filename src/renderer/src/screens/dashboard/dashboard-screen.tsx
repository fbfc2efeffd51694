import { formatTime } from "../../../../shared/format.ts";
import { useEffect } from "react";
import { useApp } from "../../app-context.tsx";
import { notifyNewAlerts } from "../../lib/alert-notifier.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { ProfileHealthCard } from "./profile-health-card.tsx";

export function DashboardScreen() {
  const { profiles, profile } = useApp();
  const summary = useApi("dashboard.summary", {}, 30_000);
  const list = summary.data?.profiles ?? [];
  useEffect(() => {
    if (summary.data) notifyNewAlerts(summary.data.profiles.flatMap((p) => p.alerts));
  }, [summary.data]);
  // The profile chosen in the top bar comes first; the others follow.
  const ordered = [...list].sort((a, b) => Number(b.profile === profile?.name) - Number(a.profile === profile?.name));
  return (
    <>
      <div className="screen-header">
        <h1>Dashboard</h1>
        <span className="muted">
          {summary.data ? `Checked ${formatTime(summary.data.generatedAt)}` : summary.loading ? "Checking…" : ""}
        </span>
        <button type="button" className="btn secondary" onClick={summary.reload} disabled={summary.loading}>
          {summary.loading ? "Checking…" : "Check again"}
        </button>
      </div>
      {summary.error ? <ErrorNotice error={summary.error} title="The dashboard could not be loaded" /> : null}
      {!summary.loading && profiles.length === 0 && !summary.error ? (
        <p>No profiles yet. Add one under Settings.</p>
      ) : null}
      <div className="stack">
        {ordered.map((h) => (
          <ProfileHealthCard key={h.profile} h={h} onChanged={summary.reload} />
        ))}
      </div>
    </>
  );
}
