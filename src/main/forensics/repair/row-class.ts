// What the incident did to one row, from its hash in each state (undefined = absent). Pure, so every case is tested.
import type { ClassCounts, DamageClass } from "../../../shared/repair-plan.ts";

export type RowVerdict =
  { kind: "damage"; class: DamageClass; note?: string } | { kind: "later" | "repaired" | "unchanged" };

const UNCHANGED: RowVerdict = { kind: "unchanged" };
const LATER: RowVerdict = { kind: "later" };
const REPAIRED: RowVerdict = { kind: "repaired" };

/** Three states: before (last good second), damaged (right after the incident), now (production). */
export function classifyThree(b: string | undefined, d: string | undefined, n: string | undefined): RowVerdict {
  if (b !== undefined) {
    if (d === undefined) {
      // Deleted by the incident.
      if (n === undefined) return { kind: "damage", class: "reinsert" };
      if (n === b) return REPAIRED;
      return { kind: "damage", class: "conflict", note: "deleted by the incident, then written again since" };
    }
    if (b === d) return n === d ? UNCHANGED : LATER;
    // Changed by the incident.
    if (n === d) return { kind: "damage", class: "restore" };
    if (n === b) return REPAIRED;
    if (n === undefined) return { kind: "damage", class: "conflict", note: "changed by the incident, deleted since" };
    return { kind: "damage", class: "conflict", note: "changed by the incident and changed again since" };
  }
  if (d !== undefined) {
    // Inserted by the incident.
    if (n === undefined) return REPAIRED;
    return n === d
      ? { kind: "damage", class: "inserted" }
      : { kind: "damage", class: "inserted", note: "inserted by the incident, changed since" };
  }
  return n === undefined ? UNCHANGED : LATER;
}

/**
 * Two states (before and now) cannot tell the incident's writes from later ones: every difference is a conflict
 * unless the audit table attributes that row to the incident window (`attributed`).
 */
export function classifyTwo(b: string | undefined, n: string | undefined, attributed: boolean): RowVerdict {
  if (b === n) return UNCHANGED;
  const why = attributed ? undefined : "two states only, and the audit table does not attribute it to the incident";
  if (n === undefined) return attributed ? { kind: "damage", class: "reinsert" } : conflict(why);
  if (b === undefined) return attributed ? { kind: "damage", class: "inserted" } : LATER;
  return attributed ? { kind: "damage", class: "restore" } : conflict(why);
}

function conflict(note: string | undefined): RowVerdict {
  return note ? { kind: "damage", class: "conflict", note } : { kind: "damage", class: "conflict" };
}

export function emptyCounts(): ClassCounts {
  return { reinsert: 0, restore: 0, conflict: 0, inserted: 0, later: 0, repaired: 0, unchanged: 0 };
}

export function countVerdict(c: ClassCounts, v: RowVerdict): void {
  if (v.kind === "damage") c[v.class]++;
  else c[v.kind]++;
}

export function addCounts(into: ClassCounts, c: ClassCounts): void {
  for (const k of Object.keys(into) as (keyof ClassCounts)[]) into[k] += c[k];
}

export function damageOf(c: ClassCounts): number {
  return c.reinsert + c.restore + c.conflict + c.inserted;
}
