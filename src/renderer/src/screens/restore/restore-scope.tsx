// What of the backup to restore, as the CLI's --table and --schema-only allow: everything, some tables (picked from
// the backup's own manifest), or the schema alone. Only the tables chosen are restored and counted.
import { useId } from "react";
import { useApi } from "../../hooks/use-api.ts";
import { formatNumber } from "../../lib/format.ts";
import type { RestoreScope } from "./restore-plan.ts";

const qualified = (t: { schema: string; table: string }) =>
  t.schema === "public" ? t.table : `${t.schema}.${t.table}`;

export function RestoreScopeFields({
  profile,
  backupId,
  scope,
  onChange,
}: {
  profile: string;
  backupId: string;
  scope: RestoreScope;
  onChange: (s: RestoreScope) => void;
}) {
  const id = useId();
  const list = useApi("backups.list", { profile });
  const tables = list.data?.backups.find((b) => b.id === backupId)?.tables ?? [];
  const chosen = scope.what === "tables" ? scope.tables : [];
  return (
    <fieldset className="stack">
      <legend>What to restore</legend>
      <div className="choice-list">
        <label className="choice">
          <input
            type="radio"
            name={`${id}-what`}
            checked={scope.what === "all"}
            onChange={() => onChange({ what: "all" })}
          />
          <span>
            Everything
            <small>Every table, with its rows; each table&apos;s count is proven against the manifest.</small>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-what`}
            checked={scope.what === "tables"}
            onChange={() => onChange({ what: "tables", tables: [] })}
          />
          <span>
            Only some tables
            <small>The tables you pick below, with their rows (as `--table`).</small>
          </span>
        </label>
        {scope.what === "tables" ? (
          <fieldset className="table-picks">
            <legend>Tables to restore ({chosen.length} chosen)</legend>
            {tables.map((t) => {
              const name = qualified(t);
              return (
                <label key={name} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(name)}
                    onChange={(e) =>
                      onChange({
                        what: "tables",
                        tables: e.target.checked ? [...chosen, name] : chosen.filter((x) => x !== name),
                      })
                    }
                  />
                  <span className="mono">{name}</span> <span className="muted">{formatNumber(t.rows)} rows</span>
                </label>
              );
            })}
            {!tables.length ? <p className="muted">Loading the backup&apos;s tables…</p> : null}
          </fieldset>
        ) : null}
        <label className="choice">
          <input
            type="radio"
            name={`${id}-what`}
            checked={scope.what === "schema"}
            onChange={() => onChange({ what: "schema" })}
          />
          <span>
            Schema only
            <small>
              Tables, indexes and constraints without rows (as `--schema-only`); proven to exist and be empty.
            </small>
          </span>
        </label>
      </div>
    </fieldset>
  );
}
