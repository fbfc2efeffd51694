import { formatBytes, formatDuration } from "../../../../shared/format.ts";
import { useState } from "react";
import { useApp } from "../../app-context.tsx";
import { Card } from "../../components/card.tsx";
import { CountsTable } from "../../components/counts-table.tsx";
import { ErrorNotice, Unreachable } from "../../components/error-notice.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { OperationPanel } from "../../components/operation-panel.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { useOperation } from "../../hooks/use-operation.ts";
import { formatNumber } from "../../lib/format.ts";
import { BackupDetails } from "./backup-details.tsx";
import { BackupProtection } from "./backup-protection.tsx";
import { LockStateView } from "./lock-state-view.tsx";
import { BackupTable } from "./backup-table.tsx";

export function BackupsScreen() {
  const { profile } = useApp();
  const list = useApi("backups.list", profile ? { profile: profile.name } : null);
  const backup = useOperation("backups.run");
  const verify = useOperation("backups.verify");
  const [selected, setSelected] = useState<string>();
  const [verifying, setVerifying] = useState<{ id: string; deep: boolean }>();

  if (!profile) return <p>No profile selected. Add one under Settings.</p>;
  const backups = list.data?.backups ?? [];
  const details = backups.find((b) => b.id === selected);
  const busy = backup.running || verify.running;

  const runBackup = async () => {
    const r = await backup.run({ profile: profile.name });
    if (r.ok) {
      list.reload();
      setSelected(r.value.id);
    }
  };
  const runVerify = async (id: string, deep: boolean) => {
    setVerifying({ id, deep });
    await verify.run({ profile: profile.name, id, deep });
  };

  return (
    <>
      <div className="screen-header">
        <h1>Backups</h1>
        <span className="muted">{profile.name}</span>
        <button type="button" className="btn" onClick={runBackup} disabled={busy}>
          Run backup now
        </button>
        <button type="button" className="btn quiet" onClick={list.reload} disabled={list.loading}>
          Refresh list
        </button>
      </div>
      <div className="stack">
        {backup.running || backup.error || backup.result ? (
          <Card title="Backup">
            <OperationPanel
              label="Backup"
              running={backup.running}
              progress={backup.progress}
              startedAt={backup.startedAt}
              error={backup.error}
              onCancel={backup.cancel}
            >
              {backup.result ? (
                <p role="status">
                  Backup <strong className="mono">{backup.result.id}</strong> committed:{" "}
                  {formatBytes(backup.result.object.bytes)},{" "}
                  {formatNumber(backup.result.tables.reduce((n, t) => n + t.rows, 0))} rows in{" "}
                  {backup.result.tables.length} tables.
                </p>
              ) : null}
            </OperationPanel>
          </Card>
        ) : null}
        {verifying ? (
          <Card title={`${verifying.deep ? "Deep verify" : "Verify"} of ${verifying.id}`}>
            <OperationPanel
              label={verifying.deep ? "Deep verify" : "Verify"}
              running={verify.running}
              progress={verify.progress}
              startedAt={verify.startedAt}
              error={verify.error}
              onCancel={verify.cancel}
            >
              {verify.result ? (
                <div className="stack" role="status">
                  <KeyValues
                    items={[
                      ["Result", "Verified: size, SHA-256, decryption and every row count match the manifest"],
                      ["Bytes", formatBytes(verify.result.bytes)],
                      ["Took", formatDuration(verify.result.durationMs)],
                      ...(verify.result.source
                        ? [
                            [
                              "Copy read",
                              `${verify.result.source.name === "primary" ? "the primary store" : `replica ${verify.result.source.name}`} (${verify.result.source.description})${verify.result.source.fallback ? `: the primary could not serve it (${verify.result.source.fallback})` : ""}`,
                            ] as [string, string],
                          ]
                        : []),
                    ]}
                  />
                  {verify.result.lock ? <LockStateView lock={verify.result.lock} /> : null}
                  {verify.result.tables.length ? (
                    <CountsTable tables={verify.result.tables} label="Verified row counts" />
                  ) : null}
                  {verify.result.deep ? (
                    <>
                      <h3>Restored into a throwaway database ({verify.result.deep.scratch})</h3>
                      <CountsTable tables={verify.result.deep.tables} label="Deep verify row counts" />
                    </>
                  ) : null}
                </div>
              ) : null}
            </OperationPanel>
          </Card>
        ) : null}
        {list.error ? <Unreachable what="Backup storage" error={list.error} /> : null}
        <Card title="Committed backups">
          {list.loading && !list.data ? <p>Loading…</p> : null}
          {list.data && backups.length === 0 ? <p>No committed backups yet. Run one now.</p> : null}
          {backups.length ? (
            <BackupTable
              backups={backups}
              selected={selected}
              busy={busy}
              onDetails={(id) => setSelected(id === selected ? undefined : id)}
              onVerify={runVerify}
            />
          ) : null}
          {list.data?.incomplete.length ? (
            <div className="notice tone-warn" role="status">
              <strong>{list.data.incomplete.length} incomplete backup run(s)</strong>
              <p>
                These have no manifest and are never restorable: {list.data.incomplete.map((i) => i.dir).join(", ")}
              </p>
            </div>
          ) : null}
          {list.data?.invalid.length ? (
            <ErrorNotice
              error={{
                code: "MANIFEST_INVALID",
                message: `${list.data.invalid.length} manifest(s) could not be read: ${list.data.invalid.map((i) => i.key).join(", ")}`,
              }}
            />
          ) : null}
        </Card>
        {details ? <BackupProtection profile={profile.name} id={details.id} /> : null}
        {details ? <BackupDetails m={details} /> : null}
      </div>
    </>
  );
}
