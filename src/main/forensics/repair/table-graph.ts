// Which tables a repair plan covers, and in which order it applies them. The operator's tables (the audit bursts) come
// first; every table linked to one of them by a foreign key, in either direction, joins, and children keep being
// followed through ON DELETE/UPDATE CASCADE, SET NULL and SET DEFAULT, since that is how an incident's damage spreads.
// Parents are applied before children, so a re-inserted row finds the row it refers to.
import { query, type Side } from "../side.ts";

export interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  /** pg_constraint.confdeltype / confupdtype: a no action, r restrict, c cascade, n set null, d set default. */
  onDelete: string;
  onUpdate: string;
}

const FOREIGN_KEYS = `
SELECT c.conname AS name, format('%s.%s', cn.nspname, cc.relname) AS child, format('%s.%s', pn.nspname, pc.relname) AS parent,
       c.confdeltype::text AS "onDelete", c.confupdtype::text AS "onUpdate"
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class cc ON cc.oid = c.conrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
JOIN pg_catalog.pg_class pc ON pc.oid = c.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.contype = 'f' AND cn.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 2, 1`;

/** Foreign keys of every state, merged: one dropped since "before" still explains damage done before it went. */
export async function foreignKeys(sides: readonly Side[]): Promise<ForeignKey[]> {
  const seen = new Map<string, ForeignKey>();
  for (const s of sides) {
    for (const fk of (await query<ForeignKey>(s, FOREIGN_KEYS)).rows) seen.set(`${fk.child}|${fk.name}`, fk);
  }
  return [...seen.values()];
}

const SPREADS = new Set(["c", "n", "d"]);

export interface PlannedTable {
  table: string;
  reason: string;
}

/** The operator's tables plus their foreign-key neighbours (tables named as schema.name). */
export function tablesToPlan(named: readonly string[], fks: readonly ForeignKey[]): PlannedTable[] {
  const out = new Map<string, string>();
  for (const t of named) out.set(t, "named");
  const queue = [...named];
  const direct = new Set(named);
  while (queue.length) {
    const t = queue.shift()!;
    for (const fk of fks) {
      if (fk.child === fk.parent) continue;
      // Children: always one step from a named table, further only where an action spreads the damage.
      if (
        fk.parent === t &&
        !out.has(fk.child) &&
        (direct.has(t) || SPREADS.has(fk.onDelete) || SPREADS.has(fk.onUpdate))
      ) {
        out.set(fk.child, `refers to ${t} (${fk.name}${actionText(fk)})`);
        if (SPREADS.has(fk.onDelete) || SPREADS.has(fk.onUpdate)) queue.push(fk.child);
      }
      // Parents of a named table: a re-inserted row may need its parent back.
      if (fk.child === t && direct.has(t) && !out.has(fk.parent))
        out.set(fk.parent, `referred to by ${t} (${fk.name})`);
    }
  }
  return [...out].map(([table, reason]) => ({ table, reason }));
}

function actionText(fk: ForeignKey): string {
  const words: Record<string, string> = { c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
  const del = words[fk.onDelete];
  const upd = words[fk.onUpdate];
  return [del ? `ON DELETE ${del}` : "", upd ? `ON UPDATE ${upd}` : ""]
    .filter(Boolean)
    .map((s) => `, ${s}`)
    .join("");
}

/** Parents before children (Kahn's algorithm); tables in a cycle keep their given order at the end. */
export function dependencyOrder(
  tables: readonly string[],
  fks: readonly ForeignKey[],
): { order: string[]; cycle: string[] } {
  const set = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const fk of fks)
    if (fk.child !== fk.parent && set.has(fk.child) && set.has(fk.parent)) parents.get(fk.child)!.add(fk.parent);
  const order: string[] = [];
  const done = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const t of tables) {
      if (done.has(t)) continue;
      if ([...parents.get(t)!].every((p) => done.has(p))) {
        order.push(t);
        done.add(t);
        progress = true;
      }
    }
  }
  const cycle = tables.filter((t) => !done.has(t));
  return { order: [...order, ...cycle], cycle };
}
