// A verify's outcome: one computed PASS or FAIL with its reason, then every table's count in one table. A deep verify
// proves each count twice, independently: once reading the archive file itself (nothing restored), once counting a
// real restore in a throwaway database. Identical numbers in both columns are the point, so they sit side by side.
import type { ResultOf } from "../../api/invoke.ts";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { Verdict } from "../../components/verdict.tsx";
import { formatNumber } from "../../lib/format.ts";

type VerifyResult = ResultOf<"backups.verify">;

export function VerifyOutcome({ result, error }: { result?: VerifyResult | undefined; error?: ErrorInfo | undefined }) {
  if (error)
    return (
      <Verdict
        pass={false}
        reason={`${error.message}${error.hint ? ` What to do: ${error.hint}` : ""}`}
        label="Verify verdict"
      />
    );
  if (!result) return null;
  const restored = new Map(result.deep?.tables.map((t) => [t.table, t]) ?? []);
  return (
    <div className="stack">
      <Verdict pass reason={result.verdict.reason} label="Verify verdict" />
      <p className="muted">
        {result.deep
          ? "Each count is proven twice: read from the archive file itself by pg_restore (nothing restored), and counted in a real restore into a throwaway database. Both must equal the manifest, which was counted inside the backup's own snapshot."
          : "Each count was read from the archive file itself by pg_restore and equals the manifest, which was counted inside the backup's own snapshot."}
      </p>
      <div className="table-scroll">
        <table className="data" aria-label="Row counts: manifest, archive and restore">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col" className="num">
                Manifest
              </th>
              <th scope="col" className="num">
                In the archive
              </th>
              {result.deep ? (
                <th scope="col" className="num">
                  Restored
                </th>
              ) : null}
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {result.tables.map((t) => {
              const r = restored.get(t.table);
              const ok = t.ok && (!result.deep || !!r?.ok);
              return (
                <tr key={t.table}>
                  <td className="mono">{t.table}</td>
                  <td className="num">{formatNumber(t.expected)}</td>
                  <td className="num">{t.actual === null ? "missing" : formatNumber(t.actual)}</td>
                  {result.deep ? (
                    <td className="num">{r ? (r.actual === null ? "missing" : formatNumber(r.actual)) : "—"}</td>
                  ) : null}
                  <td>
                    {ok ? <StatusBadge tone="ok" label="MATCH" /> : <StatusBadge tone="critical" label="DIFFERS" />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
