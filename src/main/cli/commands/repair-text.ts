// What the repair commands print on a terminal (--json prints the channel's result as it is).
import type { ResultOf } from "../../../shared/api/channels.ts";
import type { ClassCounts, PlanEntry } from "../../../shared/repair-plan.ts";
import { formatBytes, formatDuration, table } from "../output.ts";

const damage = (c: ClassCounts) => c.reinsert + c.restore + c.conflict + c.inserted;

export function planText(r: ResultOf<"forensics.plan">): string {
  const p = r.plan;
  const rows = [
    ["TABLE", "RE-INSERT", "RESTORE", "CONFLICT", "INSERTED", "LATER", "REPAIRED", "ROWS NOW"],
    ...[...p.tables]
      .sort((a, b) => a.order - b.order)
      .map((t) =>
        t.error
          ? [t.table, "not planned", "", "", "", "", "", ""]
          : [
              t.table,
              String(t.counts.reinsert),
              String(t.counts.restore),
              String(t.counts.conflict),
              String(t.counts.inserted),
              String(t.counts.later),
              String(t.counts.repaired),
              String(t.rows.now),
            ],
      ),
  ];
  const d = damage(p.totals);
  return [
    `repair plan ${p.planId}: ${d} damaged row(s) in ${p.tables.filter((t) => damage(t.counts) > 0).length} table(s) (${p.states} states)`,
    `  before:  ${p.sources.before}`,
    p.sources.damaged ? `  damaged: ${p.sources.damaged}` : "",
    `  now:     ${p.production}`,
    "",
    table(rows),
    "",
    `  plan file ${r.file} (${formatBytes(r.bytes)}), sha256 ${r.digest} (journaled)`,
    ...p.warnings.map((w) => `  warning: ${w}`),
    ...p.tables.flatMap((t) => t.warnings.map((w) => `  ${t.table}: ${w}`)),
    p.totals.conflict || p.totals.inserted
      ? `  decide first: lifeboat forensics rows ${p.planId} --class conflict, then lifeboat forensics decide ${p.planId} …`
      : "",
    d ? `  next: lifeboat forensics apply ${p.planId} --dry-run` : "  nothing to repair",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

function valueText(v: unknown): string {
  return v === null || v === undefined ? "NULL" : JSON.stringify(v).slice(0, 60);
}

function entryText(e: PlanEntry, decision?: string): string {
  const head = `${e.table} ${JSON.stringify(e.key)}  ${e.class}${e.note ? ` (${e.note})` : ""}${decision ? `  decided: ${decision}` : ""}`;
  if (e.columns.length === 0)
    return `${head}\n    ${e.class === "reinsert" ? "before" : "now"}: ${valueText(e.class === "reinsert" ? e.before : e.now)}`;
  return [
    head,
    ...e.columns.map(
      (c) =>
        `    ${c}: before ${valueText(e.before?.[c])}${e.damaged !== undefined ? ` | damaged ${valueText(e.damaged?.[c])}` : ""} | now ${e.now ? valueText(e.now[c]) : "(row absent)"}`,
    ),
  ].join("\n");
}

export function rowsText(r: ResultOf<"forensics.planRows">): string {
  if (r.total === 0) return `no damaged rows match in plan ${r.plan.planId}`;
  return [
    ...r.rows.map((x) =>
      entryText(
        x.entry,
        x.decision
          ? `${x.decision.choice}${x.decision.takeBefore ? ` ${x.decision.takeBefore.join(",")}` : ""}`
          : undefined,
      ),
    ),
    `${r.rows.length} of ${r.total} row(s)`,
  ].join("\n");
}

export function applyText(r: ResultOf<"forensics.apply">): string {
  const rows = [
    ["TABLE", "INSERTED", "UPDATED", "DELETED", "TRIGGERS HELD"],
    ...r.tables.map((t) => [
      t.table,
      String(t.inserted),
      String(t.updated),
      String(t.deleted),
      t.triggersDisabled.join(","),
    ]),
  ];
  return [
    r.dryRun
      ? `dry run of plan ${r.planId}: every statement ran in one transaction and was rolled back; production is unchanged`
      : `plan ${r.planId} applied in one transaction (committed)`,
    table(rows),
    `  left as they are: ${r.leftAlone.undecided} undecided, ${r.leftAlone.kept} kept by decision; took ${formatDuration(r.durationMs)}`,
    ...r.tables.flatMap((t) => t.sequences.map((s) => `  sequence ${s.sequence} moved to ${s.setTo}`)),
    r.dryRun
      ? `  next: lifeboat forensics apply ${r.planId} --confirm <production database name>`
      : `  next: lifeboat forensics verify ${r.planId}`,
  ].join("\n");
}

export function verifyText(r: ResultOf<"forensics.verify">): string {
  const rows = [
    ["TABLE", "UNREPAIRED (UNDECIDED)", "LEFT BY DECISION", "RE-INSERT", "RESTORE", "CONFLICT", "INSERTED"],
    ...r.tables.map((t) =>
      t.error
        ? [t.table, `not compared: ${t.error}`, "", "", "", "", ""]
        : [
            t.table,
            String(t.undecided),
            String(t.decided),
            ...[t.byClass.reinsert, t.byClass.restore, t.byClass.conflict, t.byClass.inserted].map(String),
          ],
    ),
  ];
  return [
    r.green
      ? `repair of plan ${r.planId} verified: no damaged row is left without a decision (${r.decided} left as they are by decision)`
      : `repair of plan ${r.planId} NOT complete: ${r.undecided} damaged row(s) remain unrepaired with no decision`,
    table(rows),
    `  the comparison made now is plan ${r.verifyPlanId}: lifeboat forensics rows ${r.verifyPlanId}`,
  ].join("\n");
}
