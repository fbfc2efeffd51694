import { TIERS, type GenerationRule, type RetentionPolicy, type Tier } from "../../shared/retention-policy.ts";
import { addPeriods, DAY_MS, periodLabel, periodStart } from "./periods.ts";

export interface Dated {
  id: string;
  /** When the backup was made (its manifest's startedAt), ms since the epoch. */
  time: number;
}

export interface Generation {
  tier: Tier;
  /** 2026-12-07, 2026-W50, 2026-12 or 2026. */
  period: string;
  /** The policy keeps the backup for this generation until then. */
  until: number;
}

function ruleUntil(tier: Tier, rule: GenerationRule, time: number): number | null {
  if (typeof rule === "number") return rule > 0 ? addPeriods(tier, periodStart(tier, time), rule) : null;
  return time + rule.days * DAY_MS;
}

const byTime = (a: Dated, b: Dated): number => a.time - b.time || a.id.localeCompare(b.id);

/**
 * The generations each backup represents: it is the first backup of its day, ISO week, month or year (UTC), and the
 * policy keeps that tier. The first rather than the last of a period, so that a new backup's tier is final when it
 * is made: nothing made later in the period can take it away, and its lock can be set from it at once.
 */
export function generationsOf(backups: readonly Dated[], policy: RetentionPolicy): Map<string, Generation[]> {
  const out = new Map<string, Generation[]>();
  const seen = TIERS.map(() => new Set<number>());
  for (const b of [...backups].sort(byTime)) {
    const gens: Generation[] = [];
    TIERS.forEach((tier, i) => {
      const start = periodStart(tier, b.time);
      if (seen[i]!.has(start)) return;
      seen[i]!.add(start);
      const until = ruleUntil(tier, policy[tier], b.time);
      if (until !== null) gens.push({ tier, period: periodLabel(tier, b.time), until });
    });
    out.set(b.id, gens);
  }
  return out;
}

/** Until when the policy keeps a backup for its generations (-Infinity when it represents none). */
export function keepUntil(gens: readonly Generation[]): number {
  return gens.reduce((a, g) => Math.max(a, g.until), -Infinity);
}

/**
 * Until when a backup's objects are locked: as long as its generations keep it, and never less than the daily tier
 * (a second backup of the day, kept only as one of the last N, is locked like the day's first).
 */
export function lockUntil(time: number, gens: readonly Generation[], policy: RetentionPolicy): number {
  const daily = ruleUntil("daily", policy.daily, time) ?? time + DAY_MS;
  return Math.max(keepUntil(gens), daily);
}

/** The generations and lock date of a backup about to be made at `time`, given the committed ones before it. */
export function tierOfNewBackup(
  existing: readonly Dated[],
  time: number,
  policy: RetentionPolicy,
): { generations: Generation[]; lockUntil: number } {
  const id = "\uffff-new"; // sorts after any real id made at the same instant
  const gens = generationsOf([...existing.filter((b) => b.time <= time), { id, time }], policy).get(id) ?? [];
  return { generations: gens, lockUntil: lockUntil(time, gens, policy) };
}
