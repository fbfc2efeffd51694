// 7-year retention: the policy as each backup recorded it when it was made (how long its generations keep it), the
// oldest retained backup against that policy, and the locks that must hold every backup the policy still keeps.
import { formatDate } from "../../../shared/format.ts";
import { SEVEN_YEARS_DAYS } from "../../../shared/compliance/controls.ts";
import { holds, protections, type Protection } from "./backup-protection.ts";
import type { EvidenceIndex } from "./evidence-index.ts";
import { DAY_MS, factTable, plural, result, type ItemResult } from "./item-result.ts";

export function lockText(p: Protection): string {
  const until = p.lock.untilMs !== undefined ? formatDate(p.lock.untilMs) : undefined;
  switch (p.lock.status) {
    case "locked":
      return `locked until ${until ?? "?"} (${p.lock.source})`;
    case "bucket-rule":
      return `held by the bucket's lock rule (${p.lock.source})`;
    case "expired":
      return `lock EXPIRED ${until ?? ""} (${p.lock.source})`;
    case "partial":
      return `only partly locked (${p.lock.source})`;
    case "unsupported":
      return "cannot be locked (a folder)";
    default:
      return "NOT locked";
  }
}

/** Backups the policy still keeps whose lock does not hold them now. */
export function unheld(list: Protection[], now: number): Protection[] {
  return list.filter((p) => (p.keptUntilMs === undefined || p.keptUntilMs > now) && !holds(p));
}

export function retention(ix: EvidenceIndex, profile: string, now: number): ItemResult {
  const store = ix.primary(profile);
  const unseen =
    store && !store.reachable ? [`the backup store (${store.description}): ${store.error ?? "unreachable"}`] : [];
  const list = protections(ix, profile, now);
  if (!list.length)
    return result(
      "NOT_EVIDENCED",
      store && !store.reachable ? "The backup store could not be read." : "The store holds no committed backup.",
      { unseen },
    );
  const recorded = list.filter((p) => p.keptDays !== undefined);
  const newest = list.at(-1)!;
  const oldest = list[0]!;
  const reach = recorded.length ? Math.max(...recorded.map((p) => p.keptDays!)) : undefined;
  const problems = unheld(recorded, now);
  const tables = [
    factTable(
      "The policy, as the newest backup recorded it",
      ["Tier", "Kept until", "Days after the backup"],
      newest.generations.map((g) => [
        g.tier,
        formatDate(g.until),
        String(Math.round((Date.parse(g.until) - newest.backup.startedMs) / DAY_MS)),
      ]),
    ),
    factTable(
      "Retained backups",
      ["", "Backup", "Made", "Kept until", "Lock now"],
      [
        [
          "oldest",
          oldest.backup.m.id,
          formatDate(oldest.backup.startedMs),
          oldest.keptUntilMs ? formatDate(oldest.keptUntilMs) : "no policy recorded",
          lockText(oldest),
        ],
        [
          "newest",
          newest.backup.m.id,
          formatDate(newest.backup.startedMs),
          newest.keptUntilMs ? formatDate(newest.keptUntilMs) : "no policy recorded",
          lockText(newest),
        ],
      ],
    ),
    factTable(
      "Backups the policy keeps that no lock holds",
      ["Backup", "Made", "Kept until", "Lock"],
      problems.map((p) => [
        p.backup.m.id,
        formatDate(p.backup.startedMs),
        p.keptUntilMs ? formatDate(p.keptUntilMs) : "—",
        lockText(p),
      ]),
    ),
  ];
  const age = Math.floor((now - oldest.backup.startedMs) / DAY_MS);
  const findings = [
    ...problems.map(
      (p) =>
        `Backup ${p.backup.m.id} is kept until ${p.keptUntilMs ? formatDate(p.keptUntilMs) : "?"} but is ${lockText(p)}: it can be deleted.`,
    ),
    `The oldest retained backup is ${oldest.backup.m.id}, ${plural(age, "day")} old; seven years is ${SEVEN_YEARS_DAYS} days.`,
  ];
  const evidence = [...problems, oldest, newest].map((p) => p.backup.ref);
  if (reach === undefined)
    return result(
      "NOT_EVIDENCED",
      "No retained backup records a retention policy: nothing shows how long backups are kept.",
      { findings, tables, evidence: [oldest.backup.ref, newest.backup.ref], unseen },
    );
  if (reach < SEVEN_YEARS_DAYS)
    return result(
      "FAIL",
      `The recorded policy keeps a backup at most ${reach} days, less than seven years (${SEVEN_YEARS_DAYS} days).`,
      { findings, tables, evidence, unseen },
    );
  if (problems.length)
    return result(
      "FAIL",
      `The policy keeps backups ${reach} days, but ${plural(problems.length, "backup")} it keeps ${problems.length === 1 ? "is" : "are"} not held by a lock.`,
      { findings, tables, evidence, unseen },
    );
  return result(
    "PASS",
    `The recorded policy keeps backups up to ${reach} days (seven years: ${SEVEN_YEARS_DAYS}), and every backup it keeps is locked.`,
    { findings, tables, evidence, unseen },
  );
}
