export type Tone = "ok" | "warn" | "high" | "critical" | "medium" | "unknown";

/** A status always carries a word as well as a colour: colour alone fails the colour-blind and the tired. */
export function StatusBadge({ tone, label }: { tone: Tone; label: string }) {
  return <span className={`badge tone-${tone}`}>{label}</span>;
}
