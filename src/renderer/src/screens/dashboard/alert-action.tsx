// The button that starts an alert's fix, as the engine names it: a backup runs right here with its progress; a
// runbook opens at its start form; a profile test or the settings open on the alert's profile.
import type { AlertAction } from "../../../../shared/alert.ts";
import { useApp } from "../../app-context.tsx";
import { OperationPanel } from "../../components/operation-panel.tsx";
import { useOperation } from "../../hooks/use-operation.ts";

export function AlertActionButton({
  action,
  profile,
  onDone,
}: {
  action: AlertAction;
  profile: string;
  onDone: () => void;
}) {
  const { go, selectProfile } = useApp();
  const backup = useOperation("backups.run");
  const open = (screen: "runbooks" | "settings", params: Record<string, string> = {}) => {
    selectProfile(profile);
    go(screen, params);
  };
  const start = async () => {
    if (action.kind === "backup") {
      const r = await backup.run({ profile });
      if (r.ok) onDone();
    } else if (action.kind === "runbook") open("runbooks", { runbook: action.runbook });
    else if (action.kind === "profile-test") open("settings", { test: "1" });
    else open("settings");
  };
  return (
    <div className="stack">
      <div>
        <button type="button" className="btn" onClick={() => void start()} disabled={backup.running}>
          {backup.running ? "Backing up…" : action.label}
        </button>
      </div>
      {action.kind === "backup" && (backup.running || backup.error || backup.result) ? (
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
              Backup <span className="mono">{backup.result.id}</span> committed.
            </p>
          ) : null}
        </OperationPanel>
      ) : null}
    </div>
  );
}
