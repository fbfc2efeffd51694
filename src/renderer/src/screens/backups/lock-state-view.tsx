import type { BackupLockState } from "../../../../shared/api/channels/protection-channels.ts";
import { KeyValues } from "../../components/key-values.tsx";
import { formatTime } from "../../../../shared/format.ts";

const TONE: Record<BackupLockState["status"], string> = {
  locked: "tone-ok",
  "bucket-rule": "tone-ok",
  partial: "tone-warn",
  unlocked: "tone-warn",
  unsupported: "tone-warn",
};

/** A backup's protection as the store reports it: status, until when, mode, legal hold, and each object. */
export function LockStateView({ lock }: { lock: BackupLockState }) {
  return (
    <div className="stack" aria-label={`Protection of backup ${lock.id}`}>
      <div className={`notice ${TONE[lock.status]}`} role="status">
        <strong>
          {lock.status === "locked" ? "Locked" : lock.status === "bucket-rule" ? "Bucket rule" : "Not locked"}
        </strong>
        <p>{lock.summary}</p>
      </div>
      <KeyValues
        items={[
          ["Store", <span className="mono">{lock.store}</span>],
          ["Mode", lock.mode ?? "—"],
          ["Deletable from", lock.until ? formatTime(lock.until) : lock.legalHold ? "never, while held" : "now"],
          ["Legal hold", lock.legalHold ? "on" : "off"],
        ]}
      />
      {lock.objects.length ? (
        <table className="data" aria-label={`Locks of backup ${lock.id}`}>
          <thead>
            <tr>
              <th scope="col">Object</th>
              <th scope="col">Mode</th>
              <th scope="col">Retain until</th>
              <th scope="col">Legal hold</th>
            </tr>
          </thead>
          <tbody>
            {lock.objects.map((o) => (
              <tr key={o.key}>
                <td className="mono">{o.key.slice(o.key.lastIndexOf("/") + 1)}</td>
                <td>{o.mode ?? "—"}</td>
                <td>{o.retainUntil ? formatTime(o.retainUntil) : "—"}</td>
                <td>{o.legalHold ? "on" : "off"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
