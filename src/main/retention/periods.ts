import type { Tier } from "../../shared/retention-policy.ts";

// Calendar periods in UTC: days, ISO weeks (Monday first), months, years. UTC so that every laptop and scheduler that
// opens the bucket computes the same generations, whatever its time zone.

const DAY = 86_400_000;

export function periodStart(tier: Tier, t: number): number {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (tier) {
    case "daily":
      return Date.UTC(y, m, d.getUTCDate());
    case "weekly": {
      const day = Date.UTC(y, m, d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY;
    }
    case "monthly":
      return Date.UTC(y, m, 1);
    case "yearly":
      return Date.UTC(y, 0, 1);
  }
}

/** The start of the period n periods after the one starting at `start`. */
export function addPeriods(tier: Tier, start: number, n: number): number {
  const d = new Date(start);
  switch (tier) {
    case "daily":
      return start + n * DAY;
    case "weekly":
      return start + n * 7 * DAY;
    case "monthly":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
    case "yearly":
      return Date.UTC(d.getUTCFullYear() + n, 0, 1);
  }
}

/** A stable, readable name for the period: 2026-12-07, 2026-W50, 2026-12, 2026. */
export function periodLabel(tier: Tier, t: number): string {
  const iso = new Date(periodStart(tier, t)).toISOString();
  switch (tier) {
    case "daily":
      return iso.slice(0, 10);
    case "weekly": {
      // The ISO week-numbering year is the year of the week's Thursday.
      const thursday = new Date(periodStart("weekly", t) + 3 * DAY);
      const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
      const week = Math.floor((thursday.getTime() - yearStart) / (7 * DAY)) + 1;
      return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
    }
    case "monthly":
      return iso.slice(0, 7);
    case "yearly":
      return iso.slice(0, 4);
  }
}

export const DAY_MS = DAY;
