import { useState } from "react";
import { useApp } from "../../app-context.tsx";
import { Card } from "../../components/card.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { ProfileEditor } from "./profile-editor.tsx";
import { ProfileTestPanel } from "./profile-test-panel.tsx";
import { SecretsPanel } from "./secrets-panel.tsx";

export function SettingsScreen() {
  const { profiles, profile, selectProfile, reloadProfiles, info, profilesError, params } = useApp();
  const [editing, setEditing] = useState<"new" | "current">();
  return (
    <>
      <div className="screen-header">
        <h1>Settings</h1>
        <button type="button" className="btn secondary" onClick={() => setEditing("new")}>
          Add profile
        </button>
        {profile ? (
          <button type="button" className="btn secondary" onClick={() => setEditing("current")}>
            Edit profile {profile.name}
          </button>
        ) : null}
      </div>
      <div className="stack">
        {editing ? (
          <ProfileEditor
            key={editing === "new" ? "new" : profile?.name}
            existing={editing === "current" ? profile : undefined}
            onCancel={() => setEditing(undefined)}
            onSaved={(name) => {
              reloadProfiles();
              selectProfile(name);
            }}
          />
        ) : null}
        {profilesError ? <p className="error">{profilesError}</p> : null}
        {profile ? (
          <>
            <Card title={`Secrets of ${profile.name}`}>
              <SecretsPanel profile={profile.name} />
            </Card>
            <Card title="Check this profile">
              <ProfileTestPanel profile={profile.name} autoRun={params.test === "1"} />
            </Card>
          </>
        ) : null}
        <Card title="Profiles">
          <ul>
            {profiles.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong> —{" "}
                <span className="mono">{`${p.database.user}@${p.database.host}:${p.database.port}/${p.database.database}`}</span>{" "}
                · {p.storage.kind === "s3" ? `s3://${p.storage.bucket}/${p.storage.prefix}` : p.storage.path}
                {p.neon ? ` · Neon ${p.neon.projectId}` : ""}
              </li>
            ))}
          </ul>
        </Card>
        {info ? (
          <Card title="About this console">
            <KeyValues
              items={[
                ["Version", info.version],
                ["Shell", info.shell],
                ["Config", <span className="mono">{info.configPath}</span>],
                ["Journal", <span className="mono">{info.journalDir}</span>],
              ]}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}
