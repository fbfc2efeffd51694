// One test per kind of tampering (edit, delete, reorder, insert, truncate), on the journal's files and on a JSON
// export. Each must be flagged as that kind; the untouched originals must verify.
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, writeFileSync, createWriteStream } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { sealRecord } from "../../../src/main/journal/canonical.ts";
import type { JournalProblem } from "../../../src/shared/api/channels/journal-channels.ts";
import { verifyJournal } from "../../../src/main/journal/verify-journal.ts";

type ProblemKind = JournalProblem["kind"];
import { exportJournal } from "../../../src/main/journal-export/export-journal.ts";
import { verifyExportText } from "../../../src/main/journal-export/verify-export.ts";
import { openIncident, addNote } from "../../../src/main/incidents/incident-actions.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const t = tempJournalDir();
after(t.cleanup);
let copies = 0;
let incident = "";
let incidentExport = "";
let rangeExport = "";

before(async () => {
  const j = await openJournal({ dir: t.dir, segmentBytes: 4000 });
  for (let i = 0; i < 6; i++) await j.append({ kind: "backup.run", summary: `nightly ${i}`, outcome: "ok" });
  incident = (await openIncident(j, { title: "Notes deleted", severity: "SEV2", scenario: "data-corruption" })).id;
  for (let i = 0; i < 10; i++) await addNote(j, { text: `note ${i}` });
  for (const [scope, set] of [
    [{ incident }, (s: string) => (incidentExport = s)],
    [{}, (s: string) => (rangeExport = s)],
  ] as const) {
    const file = join(t.dir, `..`, `export-${Object.keys(scope).length}.json`);
    const out = createWriteStream(file);
    await exportJournal(j, { format: "json", ...scope }, out);
    out.end();
    await finished(out);
    set(readFileSync(file, "utf8"));
  }
  await j.close();
});

/** A copy of the journal whose single-line-per-record segments the test may rewrite. */
function copyJournal(): { dir: string; lines: string[]; write: (lines: string[]) => void } {
  const dir = join(t.dir, "..", `copy-${copies++}`);
  cpSync(t.dir, dir, { recursive: true });
  const segments = readdirSync(dir)
    .filter((n) => n.endsWith(".jsonl"))
    .sort();
  const lines = segments.flatMap((n) => readFileSync(join(dir, n), "utf8").split("\n").filter(Boolean));
  return {
    dir,
    lines,
    // Rewrites everything into the first segment (the others are emptied), which keeps segment order irrelevant.
    write: (next) => {
      segments.forEach((n, i) => writeFileSync(join(dir, n), i === 0 ? `${next.join("\n")}\n` : ""));
    },
  };
}

function kinds(problems: { kind: ProblemKind }[]): ProblemKind[] {
  return [...new Set(problems.map((p) => p.kind))];
}

function forgedAfter(prevLine: string, seq: number): string {
  const prev = JSON.parse(prevLine) as JournalRecord;
  return sealRecord({
    v: 1,
    seq,
    ts: prev.ts,
    actor: prev.actor,
    kind: "operator.note",
    summary: "Note: forged",
    details: { text: "forged" },
    outcome: "info",
    prev: prev.hash,
  }).line;
}

describe("tampering with the journal files", () => {
  test("the untouched journal verifies", async () => {
    const v = await verifyJournal(copyJournal().dir);
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    assert.equal(v.records, 17);
  });

  test("edit: a record changed in place", async () => {
    const c = copyJournal();
    c.lines[9] = c.lines[9]!.replace("note 2", "note 2 (all fine)");
    c.write(c.lines);
    const v = await verifyJournal(c.dir);
    assert.deepEqual(kinds(v.problems), ["edited"]);
    assert.equal(v.problems[0]!.seq, 10);
  });

  test("delete: a record removed", async () => {
    const c = copyJournal();
    c.lines.splice(9, 1);
    c.write(c.lines);
    const v = await verifyJournal(c.dir);
    assert.deepEqual(kinds(v.problems), ["missing"]);
    assert.equal(v.problems[0]!.seq, 10);
  });

  test("reorder: two records swapped", async () => {
    const c = copyJournal();
    [c.lines[9], c.lines[10]] = [c.lines[10]!, c.lines[9]!];
    c.write(c.lines);
    const v = await verifyJournal(c.dir);
    assert.deepEqual(kinds(v.problems), ["reordered"]);
  });

  test("insert: a well-formed forged record slipped in", async () => {
    const c = copyJournal();
    c.lines.splice(9, 0, forgedAfter(c.lines[8]!, 10));
    c.write(c.lines);
    const v = await verifyJournal(c.dir);
    assert.deepEqual(kinds(v.problems), ["inserted"]);
    assert.equal(v.problems[0]!.seq, 10);
  });

  test("truncate: the last records cut off", async () => {
    const c = copyJournal();
    c.write(c.lines.slice(0, -3));
    const v = await verifyJournal(c.dir);
    assert.deepEqual(kinds(v.problems), ["truncated"]);
  });

  test("rewrite from a point on, re-hashed: caught by an anchor kept elsewhere", async () => {
    const c = copyJournal();
    const original = JSON.parse(c.lines[16]!) as JournalRecord;
    const rewritten = c.lines.slice(0, 16);
    rewritten.push(forgedAfter(rewritten[15]!, 17));
    c.write(rewritten);
    // Also rewrite the head, as a careful forger would: only the outside anchor can tell.
    writeFileSync(join(c.dir, "head.json"), "");
    const v = await verifyJournal(c.dir, { anchors: [{ seq: 17, hash: original.hash }] });
    assert.ok(kinds(v.problems).includes("anchor-mismatch"));
  });
});

/** Splits an export into its header, one line per record, and trailer, and joins them back validly. */
function splitExport(text: string): {
  head: string;
  records: string[];
  tail: string;
  join: (records: string[]) => string;
} {
  const lines = text.split("\n");
  const start = lines.indexOf('"records":[');
  const end = lines.findIndex((l, i) => i > start && l.startsWith("],"));
  const head = lines.slice(0, start + 1).join("\n");
  const tail = lines.slice(end).join("\n");
  const records = lines.slice(start + 1, end).map((l) => l.replace(/,$/, ""));
  return { head, records, tail, join: (rs) => `${head}\n${rs.join(",\n")}\n${tail}` };
}

for (const which of ["incident", "range"] as const) {
  describe(`tampering with a JSON export (${which === "incident" ? "one incident" : "the whole journal"})`, () => {
    const text = () => (which === "incident" ? incidentExport : rangeExport);

    test("the untouched export verifies on its own", () => {
      const v = verifyExportText(text());
      assert.equal(v.ok, true, JSON.stringify(v.problems));
      assert.equal(v.records, which === "incident" ? 11 : 17);
    });

    test("edit", () => {
      const e = splitExport(text());
      const edited = e.records[3]!.replace('"summary":"', '"summary":"(all fine) ');
      assert.notEqual(edited, e.records[3]);
      e.records[3] = edited;
      const v = verifyExportText(e.join(e.records));
      assert.ok(kinds(v.problems).includes("edited"), JSON.stringify(v.problems));
      assert.equal(v.ok, false);
    });

    test("delete", () => {
      const e = splitExport(text());
      e.records.splice(3, 1);
      const v = verifyExportText(e.join(e.records));
      assert.ok(kinds(v.problems).includes("missing"), JSON.stringify(v.problems));
    });

    test("reorder", () => {
      const e = splitExport(text());
      [e.records[3], e.records[4]] = [e.records[4]!, e.records[3]!];
      const v = verifyExportText(e.join(e.records));
      assert.ok(kinds(v.problems).includes("reordered"), JSON.stringify(v.problems));
    });

    test("insert", () => {
      const e = splitExport(text());
      const seq = (JSON.parse(e.records[2]!) as JournalRecord).seq;
      e.records.splice(3, 0, forgedAfter(e.records[2]!, seq + 1));
      const v = verifyExportText(e.join(e.records));
      assert.ok(kinds(v.problems).includes("inserted"), JSON.stringify(v.problems));
    });

    test("truncate: the file cut short", () => {
      const v = verifyExportText(text().slice(0, Math.floor(text().length * 0.6)));
      assert.deepEqual(kinds(v.problems), ["truncated"]);
    });

    test("truncate: the last records removed and the JSON mended", () => {
      const e = splitExport(text());
      const v = verifyExportText(e.join(e.records.slice(0, -2)));
      assert.ok(kinds(v.problems).includes("truncated"), JSON.stringify(v.problems));
    });
  });
}
