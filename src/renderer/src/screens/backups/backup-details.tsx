import { formatBytes, formatDuration, formatTime } from "../../../../shared/format.ts";
import type { BackupManifest } from "../../../../shared/manifest.ts";
import { KeyValues } from "../../components/key-values.tsx";
import { formatNumber } from "../../lib/format.ts";

/** Everything the manifest says, including how to restore this backup with standard tools alone. */
export function BackupDetails({ m }: { m: BackupManifest }) {
  const rows = m.tables.reduce((n, t) => n + t.rows, 0);
  return (
    <section className="card stack" aria-label={`Backup ${m.id} details`}>
      <h2>Backup {m.id}</h2>
      <KeyValues
        label="Manifest"
        items={[
          ["Database", <span className="mono">{m.database}</span>],
          ["Server", `PostgreSQL ${m.server.version} (pg_dump ${m.pgDump.version})`],
          [
            "Taken",
            `${formatTime(m.startedAt)} → ${formatTime(m.finishedAt)} (${formatDuration(Date.parse(m.finishedAt) - Date.parse(m.startedAt))})`,
          ],
          ["Stored object", <span className="mono">{m.object.key}</span>],
          ["Stored size", formatBytes(m.object.bytes)],
          ["Dump size", formatBytes(m.dumpBytes)],
          ["Database size", formatBytes(m.databaseBytes)],
          ["SHA-256", <span className="mono">{m.object.sha256}</span>],
          [
            "Compression",
            `${m.compression.algorithm}${m.compression.level !== undefined ? ` level ${m.compression.level}` : ""}`,
          ],
          ["Encryption", m.encryption.format],
          [
            "Recipients",
            <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
              {m.encryption.recipients.map((r) => (
                <li key={r} className="mono">
                  {r}
                </li>
              ))}
            </ul>,
          ],
          ["Snapshot", <span className="mono">{m.snapshot}</span>],
          ["Rows", `${formatNumber(rows)} in ${m.tables.length} tables (exact, counted inside the dump's snapshot)`],
        ]}
      />
      <h3>Restore with standard tools</h3>
      <pre aria-label="Restore command">{m.restoreCommand}</pre>
      <h3>Tables</h3>
      <table className="data" aria-label={`Tables in backup ${m.id}`}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Rows
            </th>
          </tr>
        </thead>
        <tbody>
          {m.tables.map((t) => (
            <tr key={`${t.schema}.${t.table}`}>
              <td className="mono">
                {t.schema}.{t.table}
              </td>
              <td className="num">{formatNumber(t.rows)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
