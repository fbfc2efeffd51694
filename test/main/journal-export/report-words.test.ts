// Every word kept: a 2,000-character note (several lines, quotes, commas, markup) and a long runbook value come back
// whole from every export format, from the CLI's journal list, and in the post-mortem's sections; a summary that had
// to be shortened says so. Exports narrowed by the journal list's filters hold exactly what the list shows.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { PassThrough } from "node:stream";
import type { ExportFormat } from "../../../src/shared/api/channels/journal-channels.ts";
import { exportJournal } from "../../../src/main/journal-export/export-journal.ts";
import type { ExportScope } from "../../../src/main/journal-export/export-scope.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { addNote, closeIncident, openIncident } from "../../../src/main/incidents/incident-actions.ts";
import { recordRunbookStep } from "../../../src/main/incidents/runbook-record.ts";
import { table } from "../../../src/main/cli/output.ts";
import { fullLine } from "../../../src/shared/journal/record-text.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";

const t = tempJournalDir();
let j: OpenJournal;
let id: string;

/** 2,000 characters: the sentence the reviewer saw dropped, then lines with every character an export escapes. */
function longNote(): string {
  const head = "Production was repaired by hand outside Lifeboat: 212 ClinicalNote rows re-inserted with psql.";
  const lines = [head];
  let i = 0;
  while (lines.join("\n").length < 2000)
    lines.push(`Line ${++i}: "quoted", commas, | pipes |, <b>markup</b> & ampersands; row ids ${i * 17}-${i * 19}.`);
  const text = lines.join("\n").slice(0, 1999);
  return `${text}Z`;
}
const NOTE = longNote();
const VALUE = `Verified by hand: ${"counts match last week's; ".repeat(12)}END-OF-VALUE`;

async function exportText(format: ExportFormat, scope: ExportScope): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await exportJournal(j, { ...scope, format }, out);
  out.end();
  return Buffer.concat(chunks).toString("utf8");
}

const htmlText = (s: string): string =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

before(async () => {
  j = await openJournal({ dir: t.dir });
  await j.append({ kind: "backup.run", summary: "Nightly backup", profile: "prod", outcome: "ok" });
  ({ id } = await openIncident(j, { title: "Notes gone", severity: "SEV1", scenario: "data-corruption" }));
  await addNote(j, { text: NOTE });
  await addNote(j, { text: "Use the 14:29 branch", kind: "decision" });
  await recordRunbookStep(j, { runbook: "scenario-1", step: "result", title: "Record", outcome: "ok", value: VALUE });
  await j.append({ kind: "restore.run", summary: "Restore failed", profile: "prod", outcome: "failed" });
  await closeIncident(j, { resolution: "Rows copied back", followUps: ["Guard bulk DELETE"] });
});
after(async () => {
  await j?.close();
  t.cleanup();
});

describe("every word kept", () => {
  test("the summary is one line that says it was shortened; the record keeps the text", async () => {
    const note = (await j.query({ kind: "operator.note" })).records[0]!;
    assert.ok(!note.summary.includes("\n"));
    assert.match(note.summary, /… \(2,000 chars in full\)$/);
    assert.equal(note.details.text, NOTE);
    assert.equal(fullLine(note), `Note: ${NOTE}`);
  });

  test("Markdown: the note whole in Notes and in the timeline; the runbook value whole", async () => {
    const md = await exportText("md", { incident: id });
    const notes = md.slice(md.indexOf("## Notes"), md.indexOf("## Follow-ups"));
    assert.ok(notes.includes(NOTE.split("\n")[0]!));
    // Each line of the note is there, indented under its list item (Markdown escapes only < and >).
    for (const line of NOTE.split("\n")) assert.ok(notes.includes(line.replace(/</g, "&lt;").replace(/>/g, "&gt;")));
    assert.ok(!/Notes\n\nNone recorded/.test(md));
    const steps = md.slice(md.indexOf("## Runbook steps"));
    assert.ok(steps.includes("END-OF-VALUE"));
    const timeline = md.slice(md.indexOf("## Timeline"));
    assert.ok(timeline.includes("END-OF-VALUE"));
    // In a table row, line breaks become <br> and pipes are escaped; every line is still there, in order.
    const row = timeline.split("\n").find((l) => l.includes("`operator.note`"))!;
    const cells = NOTE.split("\n").map((l) => l.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    assert.ok(row.includes(`Note: ${cells.join("<br>")}`));
  });

  test("HTML: the note whole (escaped, line breaks kept) in Notes and in the journal records", async () => {
    const html = await exportText("html", { incident: id });
    const notes = html.slice(html.indexOf("<h2>Notes</h2>"), html.indexOf("<h2>Follow-ups</h2>"));
    assert.ok(htmlText(notes).includes(NOTE), "the Notes section holds the whole note");
    const records = html.slice(html.indexOf("<h2>Journal records</h2>"));
    assert.ok(htmlText(records).includes(NOTE), "the timeline row holds the whole note");
    assert.ok(htmlText(records).includes(VALUE));
    assert.ok(!html.includes("<b>markup</b>"), "markup in a note is escaped");
  });

  test("CSV: the text column holds the note whole; the summary is the journaled one", async () => {
    const rows = parse(await exportText("csv", { incident: id }), {
      columns: true,
      record_delimiter: "\r\n",
    }) as Record<string, string>[];
    const note = rows.find((r) => r.kind === "operator.note")!;
    assert.equal(note.text, NOTE);
    assert.equal(JSON.parse(note.details_json!).text, NOTE);
    assert.match(note.summary!, /chars in full\)$/);
    assert.equal(rows.find((r) => r.kind === "runbook.step")!.text, VALUE);
  });

  test("JSON: the record as journaled, note whole", async () => {
    const doc = JSON.parse(await exportText("json", { incident: id })) as { records: { details: { text?: string } }[] };
    assert.ok(doc.records.some((r) => r.details.text === NOTE));
  });

  test("the CLI list shows the whole note, its further lines under the summary column", async () => {
    const note = (await j.query({ kind: "operator.note" })).records[0]!;
    const out = table([
      ["SEQ", "KIND", "SUMMARY"],
      [String(note.seq), note.kind, fullLine(note)],
    ]);
    const lines = out.split("\n");
    assert.equal(lines.length, 1 + NOTE.split("\n").length);
    const col = lines[0]!.indexOf("SUMMARY");
    assert.ok(
      lines.slice(2).every((l) => l.slice(0, col).trim() === ""),
      "continuation lines are indented",
    );
    assert.equal(
      lines
        .slice(1)
        .map((l) => l.slice(col))
        .join("\n"),
      `Note: ${NOTE}`,
    );
  });
});

describe("exports honour the journal list's filters", () => {
  test("kind, outcome and text narrow every format to what the list shows", async () => {
    const failed = await exportText("json", { outcome: "failed" });
    const doc = JSON.parse(failed) as {
      records: { kind: string }[];
      scope: { filters?: unknown };
      contiguous: boolean;
    };
    assert.deepEqual(
      doc.records.map((r) => r.kind),
      (await j.query({ outcome: "failed" })).records.map((r) => r.kind),
    );
    assert.deepEqual(doc.scope.filters, { outcome: "failed" });
    assert.equal(doc.contiguous, false);
    const notes = parse(await exportText("csv", { incident: id, kind: "operator." }), {
      columns: true,
      record_delimiter: "\r\n",
    }) as Record<string, string>[];
    assert.deepEqual(
      notes.map((r) => r.kind),
      ["operator.note", "operator.decision", "operator.follow-up"],
    );
    const md = await exportText("md", { text: "guard bulk" });
    assert.match(md, /Scope \| records: matching "guard bulk"/);
    assert.ok(md.includes("Guard bulk DELETE"));
    assert.ok(!md.includes("Nightly backup"));
  });
});
