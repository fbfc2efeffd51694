import type { RequestOf } from "../../api/invoke.ts";

export type JournalFilter = Omit<RequestOf<"journal.query">, "offset" | "limit" | "newest">;

/** Drops empty fields so the request carries only what the operator set. */
export function cleanFilter(f: Record<string, string>): JournalFilter {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v.trim()) out[k] = v.trim();
  return out as JournalFilter;
}
