// The Markdown post-mortem: summary, RTO and RPO against targets, checklist, decisions, operations, notes, follow-ups,
// contacts, then the full timeline (every record, in order) and how to check it against the journal.
import { formatDuration, formatTime } from "../../shared/format.ts";
import type { Writable } from "node:stream";
import type { JournalReader } from "../journal/journal-reader.ts";
import { fullLine } from "../../shared/journal/record-text.ts";
import { mdCell, mdCellLines, mdText } from "./export-format.ts";
import { withRenderedTimeline, type RenderedTimeline } from "./export-report.ts";
import type { ResolvedScope } from "./export-scope.ts";
import { TextSink } from "./text-sink.ts";
import { summaryLines, objectiveRows } from "./report-text.ts";
import { omittedLine, shownSections, type WordsSection } from "./report-words.ts";

async function writeWords(w: (s: string) => Promise<void>, sections: WordsSection[]): Promise<void> {
  for (const s of sections) {
    await w(`\n## ${s.title}\n\n`);
    if (!s.entries.length) await w(`None recorded.\n`);
    for (const e of s.entries) {
      const text = mdText(e.text).replace(/\n/g, "\n  ");
      const head = e.label ? `**${mdText(e.label)}**${text ? ": " : ""}` : "";
      await w(
        s.todo
          ? `- [ ] ${head}${text} (${formatTime(e.ts)}, ${mdText(e.by)})\n`
          : `- ${formatTime(e.ts)} — ${mdText(e.by)}: ${head}${text}\n`,
      );
    }
  }
}

export async function writeMarkdownExport(
  reader: JournalReader,
  scope: ResolvedScope,
  out: Writable,
): Promise<{ records: number; bytes: number; digest: string }> {
  return withRenderedTimeline(
    reader,
    scope,
    (rec) =>
      `| ${rec.seq} | ${formatTime(rec.ts).replace(" UTC", "")} | ${mdCell(rec.actor?.user ?? "")} | \`${rec.kind}\` | ${rec.outcome} | ${rec.durationMs !== undefined ? formatDuration(rec.durationMs) : ""} | ${mdCellLines(fullLine(rec))} |\n`,
    (rendered) => writeDocument(rendered, scope, out),
  );
}

async function writeDocument(
  rendered: RenderedTimeline,
  scope: ResolvedScope,
  out: Writable,
): Promise<{ records: number; bytes: number; digest: string }> {
  const r = rendered.report;
  const sink = new TextSink(out);
  const w = (s: string) => sink.write(s);
  const isIncident = !!scope.scope.incident;

  await w(`# ${isIncident ? (r.drill ? "Drill report: " : "Post-mortem: ") : ""}${mdText(r.title)}\n\n`);
  await w(`| | |\n|---|---|\n`);
  const facts: [string, string][] = isIncident
    ? [
        [r.drill ? "Drill" : "Incident", `\`${r.id}\``],
        ["Severity", r.severity ?? "—"],
        ["Scenario", r.scenario ?? "—"],
        ["Status", r.status],
        [
          "Detected",
          `${formatTime(r.detectedAt)}${r.detectedAtOriginal ? ` (corrected; first given as ${formatTime(r.detectedAtOriginal)})` : ""}`,
        ],
        ["Opened", formatTime(r.openedAt)],
        ["Service restored", formatTime(r.serviceRestoredAt)],
        ["Closed", formatTime(r.closedAt)],
      ]
    : [["Scope", scope.describe]];
  facts.push(["Journal records", r.counts.records ? `${r.counts.records} (#${r.firstSeq} to #${r.lastSeq})` : "none"]);
  for (const [k, v] of facts) await w(`| ${k} | ${mdCell(v)} |\n`);

  await w(`\n## Summary\n\n`);
  for (const line of summaryLines(r, isIncident)) await w(`${mdText(line)}\n\n`);

  if (isIncident) {
    await w(`## Recovery objectives\n\n| Objective | Target | Achieved | Status |\n|---|---|---|---|\n`);
    for (const row of objectiveRows(r)) await w(`| ${row.map(mdCell).join(" | ")} |\n`);
    await w(`\n- Detected: ${formatTime(r.rto.from)}; service restored: ${formatTime(r.serviceRestoredAt)}\n`);
    await w(
      `- Recovery point used: ${formatTime(r.rpo.recoveryPoint)}; corruption time: ${formatTime(r.rpo.corruptionTime)}\n`,
    );
    if (r.rpo.note) await w(`- ${mdText(r.rpo.note)}\n`);

    const done = r.checklist.filter((c) => c.done).length;
    await w(`\n## Post-recovery checklist (${done}/${r.checklist.length})\n\n`);
    for (const c of r.checklist)
      await w(
        `- [${c.done ? "x" : " "}] ${mdText(c.item)}${c.done ? ` — ${formatTime(c.at)} by ${mdText(c.by ?? "?")}` : ""}\n`,
      );
  }
  await writeWords(w, shownSections(r, isIncident, ["Decisions"]));
  await w(`\n## Operations\n\n`);
  if (!r.operations.length) await w(`None.\n`);
  else {
    await w(`| Started | Operation | Outcome | Duration | Summary |\n|---|---|---|---|---|\n`);
    for (const o of r.operations) {
      await w(
        `| ${formatTime(o.startedAt)} | \`${o.kind}\` | ${o.outcome} | ${formatDuration(o.durationMs)} | ${mdCell(o.summary + (o.error ? ` — ${o.error}` : ""))} |\n`,
      );
    }
  }

  await writeWords(w, shownSections(r, isIncident, ["Runbook steps", "Notes", "Follow-ups"]));
  if (isIncident) {
    await w(`\n## Contacts\n\n| Role | Name | Contact | Responsibility |\n|---|---|---|---|\n`);
    for (const c of r.contacts)
      await w(`| ${mdCell(c.role)} | ${mdCell(c.name)} | ${mdCell(c.contact)} | ${mdCell(c.responsibility ?? "")} |\n`);
  }
  const omitted = omittedLine(r);
  if (omitted) await w(`\n_${omitted}_\n`);

  await w(
    `\n## Timeline\n\n| # | Time (UTC) | Actor | Event | Outcome | Duration | Summary |\n|---|---|---|---|---|---|---|\n`,
  );
  await sink.copyFile(rendered.rowsFile);
  const n = rendered.records;
  const value = rendered.digest;
  await w(`\n## Integrity\n\n`);
  await w(
    `Generated ${formatTime(new Date().toISOString())} from ${n} journal records${n ? ` (#${r.firstSeq} to #${r.lastSeq})` : ""}. `,
  );
  await w(`Export digest (sha256 over the record hashes, one per line): \`${value}\`. `);
  await w(`Journal chain head at export: #${scope.chainHead.seq} \`${scope.chainHead.hash}\`. `);
  await w(
    `On the machine holding the journal, \`lifeboat journal verify --anchor ${scope.chainHead.seq}:${scope.chainHead.hash}\` proves these records are unchanged; a JSON export of the same scope verifies on its own.\n`,
  );
  await sink.flush();
  return { records: n, bytes: sink.bytes, digest: value };
}
