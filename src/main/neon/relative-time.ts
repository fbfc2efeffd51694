// "24 hours ago", "90 minutes ago", "1h30m ago", "30s ago": how the seed's runbook names recovery points. Neither the
// Neon API nor neonctl accepts them, so Lifeboat turns them into an absolute time itself. Months and years are left
// out on purpose: their length depends on the calendar, and a recovery point must not be ambiguous.

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const UNIT_WORDS: Array<[RegExp, keyof typeof UNIT_MS]> = [
  [/^(s|secs?|seconds?)$/, "s"],
  [/^(m|mins?|minutes?)$/, "m"],
  [/^(h|hrs?|hours?)$/, "h"],
  [/^(d|days?)$/, "d"],
  [/^(w|wks?|weeks?)$/, "w"],
];

export const RELATIVE_TIME_EXAMPLES = [
  '"1 hour ago"',
  '"24 hours ago"',
  '"90 minutes ago"',
  '"2 days ago"',
  '"30s ago"',
  '"1h30m ago"',
];

function unitOf(word: string): keyof typeof UNIT_MS | undefined {
  for (const [re, unit] of UNIT_WORDS) if (re.test(word)) return unit;
  return undefined;
}

/**
 * A duration such as "24 hours", "90 min", "1h30m", "1.5 days" in milliseconds, or undefined when the text is not
 * one. Every number needs a unit: a bare "24" could mean hours or minutes.
 */
export function parseDuration(text: string): number | undefined {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/^an?\s+(?=[a-z])/, "1 ")
    .replace(/\s*,\s*|\s+and\s+/g, " ");
  if (!s) return undefined;
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;
  let total = 0;
  let pos = 0;
  const seen = new Set<string>();
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m) return undefined;
    const unit = unitOf(m[2]!);
    // "1 hour 2 hours" is a typo, not a sum.
    if (!unit || seen.has(unit)) return undefined;
    seen.add(unit);
    total += Number(m[1]) * UNIT_MS[unit]!;
    pos = part.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** "<duration> ago" as the instant that long before `now`, or undefined when the text is not of that form. */
export function parseRelativeTime(text: string, now: Date): Date | undefined {
  const m = /^(.*\S)\s*ago$/i.exec(text.trim());
  if (!m) return undefined;
  const ms = parseDuration(m[1]!);
  if (ms === undefined) return undefined;
  return new Date(now.getTime() - ms);
}
