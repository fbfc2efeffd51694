import { formatBytes } from "../../../../shared/format.ts";
import { useState } from "react";
import { useApp } from "../../app-context.tsx";
import { Card } from "../../components/card.tsx";
import { ErrorNotice, Unreachable } from "../../components/error-notice.tsx";
import { OperationPanel } from "../../components/operation-panel.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { useOperation } from "../../hooks/use-operation.ts";
import { formatNumber } from "../../lib/format.ts";
import { BackupDetails } from "./backup-details.tsx";
import { BackupProtection } from "./backup-protection.tsx";
import { LockStateView } from "./lock-state-view.tsx";
import { BackupTable } from "./backup-table.tsx";
import { VerifyOutcome } from "./verify-result.tsx";

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
            {verify.error && !verify.running ? <VerifyOutcome error={verify.error} /> : null}
            <OperationPanel
              label={verifying.deep ? "Deep verify" : "Verify"}
              running={verify.running}
              progress={verify.progress}
              startedAt={verify.startedAt}
              error={verify.error}
              onCancel={verify.cancel}
            >
              <VerifyOutcome result={verify.result} />
              {verify.result?.source ? (
                <p>
                  Copy read:{" "}
                  {`${verify.result.source.name === "primary" ? "the primary store" : `replica ${verify.result.source.name}`} (${verify.result.source.description})${verify.result.source.fallback ? `: the primary could not serve it (${verify.result.source.fallback})` : ""}`}
                </p>
              ) : null}
              {verify.result?.lock ? <LockStateView lock={verify.result.lock} /> : null}
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
