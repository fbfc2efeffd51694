import { formatBytes, formatTime } from "../../../../shared/format.ts";
import { useId } from "react";
import type { Profile } from "../../../../shared/config.ts";
import { Unreachable } from "../../components/error-notice.tsx";
import { useApi } from "../../hooks/use-api.ts";
import type { RestoreSource } from "./restore-plan.ts";

export function SourceStep({
  profile,
  source,
  onChange,
}: {
  profile: Profile;
  source: RestoreSource | undefined;
  onChange: (s: RestoreSource) => void;
}) {
  const backups = useApi("backups.list", { profile: profile.name });
  const neon = useApi("neon.status", profile.neon ? { profile: profile.name } : null);
  const id = useId();
  const list = backups.data?.backups ?? [];
  const latest = list[0]?.id;
  return (
    <fieldset className="stack">
      <legend>Where the data comes from</legend>
      <div className="choice-list">
        <label className="choice">
          <input
            type="radio"
            name={`${id}-src`}
            checked={source?.kind === "backup"}
            disabled={!latest}
            onChange={() => latest && onChange({ kind: "backup", id: latest })}
          />
          <span>
            An off-site backup
            <small>
              Encrypted dump in{" "}
              {profile.storage.kind === "s3" ? `s3://${profile.storage.bucket}` : profile.storage.path}; proven by row
              counts.
            </small>
          </span>
        </label>
        {source?.kind === "backup" ? (
          <div className="field">
            <label htmlFor={`${id}-backup`}>Backup</label>
            <select
              id={`${id}-backup`}
              value={source.id}
              onChange={(e) => onChange({ kind: "backup", id: e.target.value })}
            >
              {list.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.id} · {formatTime(b.finishedAt)} · {formatBytes(b.object.bytes)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {backups.error ? <Unreachable what="Backup storage" error={backups.error} /> : null}
        {backups.data && !latest ? <p className="muted">No committed backups for this profile.</p> : null}
        <label className="choice">
          <input
            type="radio"
            name={`${id}-src`}
            checked={source?.kind === "neon"}
            disabled={!profile.neon}
            onChange={() => onChange({ kind: "neon", at: "" })}
          />
          <span>
            A Neon point in time
            <small>
              {profile.neon
                ? "Any second inside Neon's history window; seconds to create."
                : "This profile has no Neon project."}
            </small>
          </span>
        </label>
        {source?.kind === "neon" ? (
          <div className="field">
            <label htmlFor={`${id}-at`}>Point in time (UTC, or relative like "1 hour ago")</label>
            <input
              id={`${id}-at`}
              type="text"
              placeholder="2026-01-17T14:29:59Z"
              value={source.at}
              onChange={(e) => onChange({ kind: "neon", at: e.target.value })}
            />
            {neon.data ? (
              <span className="muted">
                History window: {formatTime(neon.data.window.start)} → {formatTime(neon.data.window.end)}
              </span>
            ) : null}
            {neon.error ? <Unreachable what="Neon API" error={neon.error} /> : null}
          </div>
        ) : null}
      </div>
    </fieldset>
  );
}
