import { useId, useSyncExternalStore } from "react";
import { useApp } from "../app-context.tsx";
import type { RunbookExecutor } from "../../../shared/runbooks/runbook-executor.ts";
import { NotifyToggle } from "./notify-toggle.tsx";
import { ProfileOptions } from "./profile-options.tsx";
import { serviceRestoredAt } from "../lib/service-restored-at.ts";
import { RtoClock } from "./rto-clock.tsx";
import { StatusBadge } from "./status-badge.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

function ActiveIncident({ run, rtoMinutes }: { run: RunbookExecutor; rtoMinutes: number }) {
  const state = useSyncExternalStore(run.subscribe, run.getState);
  const { go } = useApp();
  if (state.phase !== "in-progress" || !state.openedAt) return null;
  return (
    <button
      type="button"
      className="btn quiet incident-chip"
      onClick={() => go("runbooks")}
      aria-label={`${state.drill ? "Drill" : "Open incident"} ${state.incidentId}: back to the runbook`}
    >
      {/* Shortened where the bar is narrow, so it stays on one line beside the profile and the buttons. */}
      <span className={`badge tone-${state.drill ? "unknown" : "critical"}`}>
        {state.drill ? "DRILL" : "INCIDENT"}
        <span className="wide-only">{state.drill ? " IN PROGRESS" : " OPEN"}</span>
      </span>
      <RtoClock
        since={state.detectedAt ?? state.openedAt}
        rtoMinutes={rtoMinutes}
        stoppedAt={serviceRestoredAt(run, state)}
        compact
      />
    </button>
  );
}

export function TopBar() {
  const { profiles, profile, selectProfile, info, run } = useApp();
  const id = useId();
  return (
    <header className="topbar">
      <span className="brand">Lifeboat</span>
      {info?.sandbox ? <StatusBadge tone="warn" label="SANDBOX" /> : null}
      <div className="profile-pick">
        <label htmlFor={id}>Profile</label>
        <select
          id={id}
          value={profile?.name ?? ""}
          onChange={(e) => selectProfile(e.target.value)}
          disabled={!profiles.length}
        >
          {profiles.length === 0 ? <option value="">No profiles</option> : null}
          <ProfileOptions profiles={profiles} />
        </select>
      </div>
      <span className="spacer" />
      {run ? <ActiveIncident run={run} rtoMinutes={profile?.targets.rtoMinutes ?? 30} /> : null}
      <NotifyToggle />
      <ThemeToggle />
    </header>
  );
}
