import { useId } from "react";
import type { Profile } from "../../../../shared/config.ts";
import { useApp } from "../../app-context.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { TARGET_LABELS, suggestName, type RestoreSource, type RestoreTarget } from "./restore-plan.ts";

interface Props {
  profile: Profile;
  source: RestoreSource;
  target: RestoreTarget | undefined;
  onChange: (t: RestoreTarget) => void;
}

function Choice({
  name,
  kind,
  checked,
  danger,
  hint,
  onPick,
}: {
  name: string;
  kind: RestoreTarget["kind"];
  checked: boolean;
  danger?: boolean;
  hint: string;
  onPick: () => void;
}) {
  return (
    <label className={`choice ${danger ? "danger" : ""}`}>
      <input type="radio" name={name} checked={checked} onChange={onPick} />
      <span>
        {TARGET_LABELS[kind]}
        <small>{hint}</small>
      </span>
    </label>
  );
}

function NameField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function ProductionConfirm({
  expected,
  value,
  onChange,
  what,
}: {
  expected: string;
  value: string;
  onChange: (v: string) => void;
  what: string;
}) {
  return (
    <div className="danger-zone stack">
      <h3>This overwrites production</h3>
      <p>
        <strong>{what}</strong> Type <code>{expected}</code> to confirm.
      </p>
      <NameField label="Type the production name to confirm" value={value} onChange={onChange} />
    </div>
  );
}

/** Which profile's server a new or empty database is restored onto: this profile's own, or any other configured one. */
function ServerPick({
  profile,
  value,
  onChange,
}: {
  profile: Profile;
  value: string;
  onChange: (name: string) => void;
}) {
  const { profiles } = useApp();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Restore onto the server of</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {profiles.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name === profile.name
              ? `${p.name} (this profile: ${p.database.host})`
              : `${p.name} (${p.database.host})`}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TargetStep({ profile, source, target, onChange }: Props) {
  const name = useId();
  const { profiles } = useApp();
  const neon = useApi("neon.status", source.kind === "neon" ? { profile: profile.name } : null);
  const prodBranch = neon.data?.defaultBranch.name ?? profile.neon?.defaultBranch ?? "main";
  const server = target && "profile" in target && target.profile ? target.profile : profile.name;
  const host = profiles.find((p) => p.name === server)?.database.host ?? profile.database.host;
  return (
    <fieldset className="stack">
      <legend>Where the data goes</legend>
      <div className="choice-list">
        {source.kind === "backup" ? (
          <>
            <Choice
              name={name}
              kind="new-database"
              checked={target?.kind === "new-database"}
              hint={`Created on ${host}; production is untouched.`}
              onPick={() => onChange({ kind: "new-database", database: suggestName("restored_"), profile: server })}
            />
            {target?.kind === "new-database" ? (
              <>
                <ServerPick profile={profile} value={server} onChange={(p) => onChange({ ...target, profile: p })} />
                <NameField
                  label="New database name"
                  value={target.database}
                  onChange={(database) => onChange({ ...target, database })}
                />
              </>
            ) : null}
            <Choice
              name={name}
              kind="existing-empty"
              checked={target?.kind === "existing-empty"}
              hint="Refused unless it holds no tables."
              onPick={() => onChange({ kind: "existing-empty", database: "", profile: server })}
            />
            {target?.kind === "existing-empty" ? (
              <>
                <ServerPick profile={profile} value={server} onChange={(p) => onChange({ ...target, profile: p })} />
                <NameField
                  label="Existing database name"
                  value={target.database}
                  onChange={(database) => onChange({ ...target, database })}
                />
              </>
            ) : null}
            <Choice
              name={name}
              kind="production"
              checked={target?.kind === "production"}
              danger
              hint={`Replaces everything in ${profile.database.database}.`}
              onPick={() => onChange({ kind: "production", confirm: "" })}
            />
            {target?.kind === "production" ? (
              <ProductionConfirm
                expected={profile.database.database}
                value={target.confirm}
                what={`Every table in ${profile.database.database} is replaced by the backup.`}
                onChange={(confirm) => onChange({ kind: "production", confirm })}
              />
            ) : null}
          </>
        ) : (
          <>
            <Choice
              name={name}
              kind="neon-branch"
              checked={target?.kind === "neon-branch"}
              hint="A recovery branch with its own compute; production is untouched."
              onPick={() => onChange({ kind: "neon-branch", branchName: suggestName("recovery-").replace("_", "-") })}
            />
            {target?.kind === "neon-branch" ? (
              <NameField
                label="Branch name"
                value={target.branchName}
                onChange={(branchName) => onChange({ kind: "neon-branch", branchName })}
              />
            ) : null}
            <Choice
              name={name}
              kind="neon-in-place"
              checked={target?.kind === "neon-in-place"}
              danger
              hint={`Restores ${prodBranch} in place; its current state is kept as a backup branch.`}
              onPick={() => onChange({ kind: "neon-in-place", branch: prodBranch, confirm: "" })}
            />
            {target?.kind === "neon-in-place" ? (
              <ProductionConfirm
                expected={target.branch}
                value={target.confirm}
                what={`Branch ${target.branch} is rewound to the chosen time.`}
                onChange={(confirm) => onChange({ ...target, confirm })}
              />
            ) : null}
          </>
        )}
      </div>
    </fieldset>
  );
}
