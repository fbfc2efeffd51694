// One table across the states of a repair plan: its description in each, the columns that can be compared (present,
// with the same type, in every state, and not computed by the server), the schema drift since "before", the key, and
// the triggers an apply would fire in production.
import { LifeboatError } from "../../../shared/errors.ts";
import { describeSide, type SideTable } from "../comparison.ts";
import { keyColumn, type KeyColumn } from "../key-order.ts";
import { query, type Side } from "../side.ts";
import type { ColumnInfo } from "../table-info.ts";

export interface StateSides {
  before: Side;
  damaged?: Side;
  now: Side;
}

export interface StateTable {
  /** schema.name, as the plan shows it. */
  name: string;
  before: SideTable;
  damaged?: SideTable;
  now: SideTable;
  /** Compared and hashed, in before's column order. */
  compared: string[];
  /** Production's columns a repair can write (present before too, not generated). */
  writable: ColumnInfo[];
  drift: { droppedSinceBefore: string[]; addedSinceBefore: string[]; typeChanged: string[]; generated: string[] };
  /** Key columns (the before state's primary key); empty for a table without one. */
  key: string[];
  /** The key as each state streams it: one order every state can give. */
  keyCols: KeyColumn[];
  triggers: string[];
}

function col(t: SideTable, name: string): ColumnInfo | undefined {
  return t.columns.find((c) => c.name === name);
}

function keyChanged(name: string, key: string[], states: [string, SideTable][]): LifeboatError | null {
  for (const [state, t] of states) {
    const pk = t.primaryKey;
    if (pk.length !== key.length || pk.some((c, i) => c !== key[i]))
      return new LifeboatError(
        "SCHEMA_MISMATCH",
        `table "${name}" has primary key (${key.join(", ") || "none"}) before the incident but ${pk.length ? `(${pk.join(", ")})` : "none"} in the ${state}`,
        "Rows can only be matched by a key every state shares. Restore the key in production first, then plan again.",
        { table: name, state },
      );
    for (const k of key) {
      const a = col(states[0]![1], k)!.type;
      const b = col(t, k)!.type;
      if (a !== b)
        return new LifeboatError(
          "SCHEMA_MISMATCH",
          `the key column "${k}" of "${name}" changed type: ${a} before the incident, ${b} in the ${state}`,
          "A key that changed type cannot be matched row by row safely. Convert it back (or compare the table by hand), then plan again; the other tables are planned as usual.",
          { table: name, column: k, state },
        );
    }
  }
  return null;
}

const TRIGGERS = `SELECT tgname FROM pg_catalog.pg_trigger WHERE tgrelid = $1 AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY tgname`;

export async function lineUpStates(sides: StateSides, table: string): Promise<StateTable> {
  const before = await describeSide(sides.before, table);
  const damaged = sides.damaged ? await describeSide(sides.damaged, table) : undefined;
  const now = await describeSide(sides.now, table);
  const name = `${before.table.schema}.${before.table.name}`;
  const others: [string, SideTable][] = [
    ...(damaged ? [["damaged state", damaged] as [string, SideTable]] : []),
    ["production", now],
  ];
  const key = before.primaryKey;
  const err = keyChanged(name, key, [["before state", before], ...others]);
  if (err) throw err;
  const drift = {
    droppedSinceBefore: [] as string[],
    addedSinceBefore: [] as string[],
    typeChanged: [] as string[],
    generated: [] as string[],
  };
  const compared: string[] = [];
  for (const c of before.columns) {
    const inOthers = others.map(([, t]) => col(t, c.name));
    if (inOthers.some((x) => !x)) drift.droppedSinceBefore.push(c.name);
    else if (inOthers.some((x) => x!.type !== c.type)) drift.typeChanged.push(c.name);
    else if (c.generated !== "" || inOthers.some((x) => x!.generated !== "")) drift.generated.push(c.name);
    else compared.push(c.name);
  }
  for (const c of now.columns) if (!col(before, c.name)) drift.addedSinceBefore.push(c.name);
  const writable = now.columns.filter((c) => compared.includes(c.name));
  // Every state must stream keys in one order: the index order only when all of them can give it.
  const keyCols = key.map((k) => {
    const all = [before, ...others.map(([, t]) => t)].map((t) => keyColumn(col(t, k)!));
    const first = all[0]!;
    const sameKind = all.every((x) => x.kind === first.kind);
    return {
      ...first,
      kind: sameKind ? first.kind : ("bytes" as const),
      native: sameKind && all.every((x) => x.native),
    };
  });
  const triggers = (await query<{ tgname: string }>(sides.now, TRIGGERS, [now.table.oid])).rows.map((r) => r.tgname);
  return {
    name,
    before,
    ...(damaged ? { damaged } : {}),
    now,
    compared,
    writable,
    drift,
    key,
    keyCols,
    triggers,
  };
}

/** What the plan says about drift and triggers, in words an operator can act on. */
export function driftWarnings(t: StateTable): string[] {
  const w: string[] = [];
  const d = t.drift;
  if (t.key.length === 0)
    w.push(
      `"${t.name}" has no primary key: whole rows are compared (an updated row shows as one row removed and one added), and a repair matches rows by their full contents`,
    );
  if (d.droppedSinceBefore.length)
    w.push(
      `columns dropped since before the incident are not compared or restored: ${d.droppedSinceBefore.join(", ")} (see forensics restore-column)`,
    );
  if (d.addedSinceBefore.length)
    w.push(
      `columns added since before the incident are not compared; re-inserted rows get their defaults: ${d.addedSinceBefore.join(", ")}`,
    );
  if (d.typeChanged.length)
    w.push(`columns whose type changed are not compared or restored: ${d.typeChanged.join(", ")}`);
  if (d.generated.length)
    w.push(`generated columns are computed by production, not compared or written: ${d.generated.join(", ")}`);
  if (t.triggers.length)
    w.push(
      `triggers on "${t.name}" would fire on the repair: ${t.triggers.join(", ")}; apply disables them for its transaction unless told to fire them`,
    );
  return w;
}
