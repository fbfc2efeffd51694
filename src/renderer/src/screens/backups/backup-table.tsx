import { formatBytes, formatTime } from "../../../../shared/format.ts";
import type { BackupManifest } from "../../../../shared/manifest.ts";
import { formatAge, formatNumber } from "../../lib/format.ts";

export interface BackupTableProps {
  backups: BackupManifest[];
  selected: string | undefined;
  busy: boolean;
  onDetails: (id: string) => void;
  onVerify: (id: string, deep: boolean) => void;
}

export function BackupTable({ backups, selected, busy, onDetails, onVerify }: BackupTableProps) {
  return (
    <table className="data" aria-label="Backups">
      <thead>
        <tr>
          <th scope="col">Backup</th>
          <th scope="col">Finished</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Tables
          </th>
          <th scope="col" className="num">
            Rows
          </th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {backups.map((m) => (
          <tr key={m.id} aria-selected={selected === m.id}>
            <td className="mono">{m.id}</td>
            <td>
              {formatTime(m.finishedAt)}
              <div className="muted">{formatAge(m.finishedAt)}</div>
            </td>
            <td className="num">{formatBytes(m.object.bytes)}</td>
            <td className="num">{m.tables.length}</td>
            <td className="num">{formatNumber(m.tables.reduce((n, t) => n + t.rows, 0))}</td>
            <td>
              <div className="row">
                <button
                  type="button"
                  className="btn quiet"
                  aria-label={`Details of backup ${m.id}`}
                  aria-pressed={selected === m.id}
                  onClick={() => onDetails(m.id)}
                >
                  Details
                </button>
                <button
                  type="button"
                  className="btn secondary"
                  aria-label={`Verify backup ${m.id}`}
                  disabled={busy}
                  onClick={() => onVerify(m.id, false)}
                >
                  Verify
                </button>
                <button
                  type="button"
                  className="btn secondary"
                  aria-label={`Deep verify backup ${m.id}`}
                  disabled={busy}
                  onClick={() => onVerify(m.id, true)}
                >
                  Deep verify
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
