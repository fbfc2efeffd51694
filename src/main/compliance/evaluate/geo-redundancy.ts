// Geographic redundancy (and AWS's cross-Region copy): each backup of the period has a copy in a store in another
// region, proven when it was copied (replica.copy) or seen in that store's listing now. Where every copy is, is listed.
import { formatTime } from "../../../shared/format.ts";
import type { EvidenceIndex, Period } from "./evidence-index.ts";
import { copiesInPeriod } from "./backup-copies.ts";
import { factTable, plural, result, type ItemResult } from "./item-result.ts";

export function geoRedundancy(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const primary = ix.primary(profile);
  const replicas = ix.stores(profile).filter((s) => s.name !== "primary");
  const backups = copiesInPeriod(ix, profile, period);
  const unseen = replicas
    .filter((s) => !s.reachable)
    .map(
      (s) =>
        `replica "${s.name}" (${s.description}): ${s.error ?? "unreachable"}; only copies proven by the journal count`,
    );
  const missing = backups.filter((b) => !b.copies.some((c) => c.otherRegion));
  const tables = [
    factTable(
      "The stores",
      ["Store", "Where", "Region", "Reachable", "Backups of the period it holds"],
      [primary, ...replicas]
        .filter((s) => s !== undefined)
        .map((s) => [
          s.name,
          s.description,
          s.region ?? "unknown",
          s.reachable ? "yes" : `no: ${s.error ?? "unreachable"}`,
          s.name === "primary"
            ? String(backups.length)
            : String(backups.filter((b) => b.copies.some((c) => c.store.name === s.name)).length),
        ]),
    ),
    factTable(
      "Backups without a copy in another region",
      ["Backup", "Made", "Copies"],
      missing.map((b) => [
        b.backup.m.id,
        formatTime(b.backup.startedMs),
        b.copies.map((c) => `${c.store.name} (${c.store.region ?? "region unknown"})`).join(", ") || "none",
      ]),
    ),
  ];
  const evidence = backups.flatMap((b) => [b.backup.ref, ...b.copies.flatMap((c) => (c.proof ? [c.proof] : []))]);
  const findings = missing.map(
    (b) =>
      `Backup ${b.backup.m.id} (${formatTime(b.backup.startedMs)}) has no copy in another region${b.copies.length ? ` (copies: ${b.copies.map((c) => c.store.name).join(", ")}, same or unknown region)` : ""}.`,
  );
  if (!backups.length)
    return result("NOT_EVIDENCED", "No committed backup in the period to look for copies of.", { tables, unseen });
  if (!replicas.length)
    return result(
      "FAIL",
      `Every one of the ${plural(backups.length, "backup")} of the period exists in one store only: the profile has no replica.`,
      { findings: [], tables, evidence: backups.map((b) => b.backup.ref), unseen },
    );
  if (missing.length) {
    const blind = replicas.some((s) => !s.reachable);
    return result(
      blind ? "NOT_EVIDENCED" : "FAIL",
      `${plural(missing.length, "backup")} of ${backups.length} in the period ${missing.length === 1 ? "has" : "have"} no copy in another region${blind ? " that could be seen (a replica was unreachable)" : ""}.`,
      { findings, tables, evidence, unseen },
    );
  }
  return result(
    "PASS",
    `Every one of the ${plural(backups.length, "backup")} of the period has a copy in another region (${[...new Set(replicas.filter((r) => r.region && r.region !== primary?.region).map((r) => `${r.name}: ${r.region}`))].join(", ")}).`,
    { findings, tables, evidence, unseen },
  );
}
