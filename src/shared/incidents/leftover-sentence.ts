// The reminder at an incident's close, in the same words in the terminal and the console.
import type { Leftovers } from "../api/channels/leftover-channels.ts";

/** One line for a reminder: "Still there: 2 Neon branches (recovery-…, …); 1 database (restored_… on host)". */
export function leftoverSentence(l: Leftovers): string | undefined {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    l.branches.length
      ? `${plural(l.branches.length, "Neon branch", "Neon branches")} (${l.branches.map((b) => b.name).join(", ")})`
      : "",
    l.databases.length
      ? `${plural(l.databases.length, "database", "databases")} (${l.databases.map((d) => `${d.database} on ${d.host}`).join(", ")})`
      : "",
  ].filter(Boolean);
  return parts.length ? `Still there: ${parts.join("; ")}` : undefined;
}
