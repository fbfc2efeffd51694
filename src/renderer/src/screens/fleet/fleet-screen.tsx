// The fleet: every profile's last backup, last test, last drill, proven restore, scheduled runs (and which machine ran
// them) and open alerts, read from the stores. A laptop that never ran a job sees here what the servers did.
import type { ResultOf } from "../../../../shared/api/channels.ts";
import type { NagiosState } from "../../../../shared/monitoring/monitoring-schemas.ts";
import { Card } from "../../components/card.tsx";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { AlertList } from "../dashboard/alert-list.tsx";
import { FleetRow, STATE_TONE } from "./fleet-row.tsx";

const REFRESH_MS = 60_000;

function Summary({ fleet }: { fleet: ResultOf<"fleet.view"> }) {
  const count = (s: NagiosState) => fleet.profiles.filter((p) => p.state === s).length;
  return (
    <p role="status" className="row">
      {(["CRITICAL", "WARNING", "OK"] as const).map((s) => (
        <StatusBadge key={s} tone={STATE_TONE[s]} label={`${count(s)} ${s}`} />
      ))}
      <span className="muted">
        {fleet.profiles.length} profiles, read from their stores in {fleet.durationMs} ms
      </span>
    </p>
  );
}

export function FleetScreen() {
  const fleet = useApi("fleet.view", {}, REFRESH_MS);
  const alerts = fleet.data?.profiles.flatMap((p) => p.alerts) ?? [];
  return (
    <>
      <div className="screen-header">
        <h1>Fleet</h1>
        <button type="button" className="btn secondary" onClick={fleet.reload} disabled={fleet.loading}>
          Refresh
        </button>
      </div>
      <div className="stack">
        <Card title="Every profile, from its store">
          {fleet.error ? <ErrorNotice error={fleet.error} title="The fleet could not be read" /> : null}
          {fleet.data ? (
            <Summary fleet={fleet.data} />
          ) : fleet.loading ? (
            <p role="status">Reading the stores…</p>
          ) : null}
          {fleet.data ? (
            <div className="table-scroll">
              <table className="data" aria-label="Profiles in the fleet">
                <thead>
                  <tr>
                    <th scope="col">Profile</th>
                    <th scope="col">State</th>
                    <th scope="col">Last backup</th>
                    <th scope="col">Last test</th>
                    <th scope="col">Last drill</th>
                    <th scope="col">Proven restore</th>
                    <th scope="col">Scheduled runs</th>
                    <th scope="col">Store</th>
                    <th scope="col">Alerts</th>
                  </tr>
                </thead>
                <tbody>
                  {fleet.data.profiles.map((p) => (
                    <FleetRow key={p.profile} p={p} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </Card>
        {fleet.data ? (
          <Card title="Open alerts across the fleet">
            <AlertList alerts={alerts} label="Fleet alerts" />
          </Card>
        ) : null}
      </div>
    </>
  );
}
