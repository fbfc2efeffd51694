// What protects each backup from deletion, from the evidence: the retention generations recorded in its manifest when
// it was made (how long the policy keeps it), the lock the store reported back before the manifest was written, and
// the lock the store reports now (read when the report was made). A backup the policy still keeps must be locked now.
import { z } from "zod";
import type { ObservedLock } from "../../../shared/compliance/evidence-bundle.ts";
import type { EvidenceIndex, EvManifest } from "./evidence-index.ts";
import { DAY_MS } from "./item-result.ts";

// The manifest fields retention and Object Lock add (lifeboat-backup/1, written by Lifeboat with retention): read from
// the stored manifest, so a report judges backups whatever version made them.
const Recorded = z.object({
  retention: z
    .object({
      generations: z.array(z.object({ tier: z.string(), period: z.string(), until: z.string() })),
      lockUntil: z.string().optional(),
    })
    .optional(),
  lock: z
    .object({
      mode: z.string().nullable(),
      retainUntil: z.string().nullable(),
      bucketRule: z.boolean().optional(),
    })
    .optional(),
});

export interface Protection {
  backup: EvManifest;
  /** Until when the retention policy keeps it (the latest of its generations), if the manifest records one. */
  keptUntilMs: number | undefined;
  /** How many days the policy keeps it after it was made. */
  keptDays: number | undefined;
  generations: { tier: string; until: string }[];
  /** The lock now: the store's answer when the report was made, else what it reported when the backup committed. */
  lock: {
    status: "locked" | "expired" | "unlocked" | "partial" | "bucket-rule" | "unsupported";
    untilMs?: number;
    source: "store now" | "manifest";
  };
}

function lockNow(
  recorded: z.infer<typeof Recorded>["lock"],
  observed: ObservedLock | undefined,
  now: number,
): Protection["lock"] {
  if (observed) {
    const untilMs = observed.until ? Date.parse(observed.until) : undefined;
    if (observed.status === "locked" || observed.status === "bucket-rule")
      return { status: observed.status, ...(untilMs ? { untilMs } : {}), source: "store now" };
    if (observed.status === "unlocked" && recorded?.retainUntil)
      return { status: "expired", untilMs: Date.parse(recorded.retainUntil), source: "store now" };
    return { status: observed.status, ...(untilMs ? { untilMs } : {}), source: "store now" };
  }
  if (recorded?.bucketRule) return { status: "bucket-rule", source: "manifest" };
  if (!recorded?.retainUntil) return { status: "unlocked", source: "manifest" };
  const untilMs = Date.parse(recorded.retainUntil);
  return { status: untilMs > now ? "locked" : "expired", untilMs, source: "manifest" };
}

export function protections(ix: EvidenceIndex, profile: string, now: number): Protection[] {
  const observed = new Map((ix.primary(profile)?.locks ?? []).map((l) => [l.id, l]));
  return ix.backups(profile).map((b) => {
    const rec = Recorded.safeParse(b.raw);
    const r = rec.success ? rec.data : {};
    const generations = r.retention?.generations ?? [];
    const untils = generations.map((g) => Date.parse(g.until)).filter(Number.isFinite);
    const keptUntilMs = untils.length ? Math.max(...untils) : undefined;
    return {
      backup: b,
      keptUntilMs,
      keptDays: keptUntilMs !== undefined ? Math.round((keptUntilMs - b.startedMs) / DAY_MS) : undefined,
      generations: generations.map((g) => ({ tier: g.tier, until: g.until })),
      lock: lockNow(r.lock, observed.get(b.m.id), now),
    };
  });
}

export const holds = (p: Protection): boolean => p.lock.status === "locked" || p.lock.status === "bucket-rule";
