import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { ProgressBar } from "../../../src/renderer/src/components/progress-bar.tsx";

test("with a known total the bar says how far: percent, bytes of total, tables, rate and time left", () => {
  const html = renderToStaticMarkup(
    <ProgressBar
      label="Backup"
      startedAt={0}
      now={65_000}
      progress={{
        operation: "backup",
        phase: "dump",
        bytes: 512 * 1024 * 1024,
        totalBytes: 1024 * 1024 * 1024,
        tablesDone: 3,
        tablesTotal: 7,
        currentTable: "public.ClinicalNote",
        bytesPerSecond: 8 * 1024 * 1024,
        etaSeconds: 64,
      }}
    />,
  );
  assert.match(html, /role="progressbar"/);
  assert.match(html, /aria-label="Backup"/);
  assert.match(html, /aria-valuenow="50"/);
  assert.match(html, /50% · 512 MiB of 1\.0 GiB/);
  assert.match(html, /3 of 7 · public\.ClinicalNote/);
  assert.match(html, /8\.0 MiB\/s/);
  assert.match(html, /01:04/, "time left");
  assert.match(html, /01:05/, "elapsed");
});

test("tables give the fraction when bytes have no total; with neither, no value is claimed but bytes still show", () => {
  const byTables = renderToStaticMarkup(
    <ProgressBar
      label="Restore"
      progress={{ operation: "restore", phase: "restore", bytes: 10, tablesDone: 1, tablesTotal: 4 }}
    />,
  );
  assert.match(byTables, /aria-valuenow="25"/);
  const unknown = renderToStaticMarkup(
    <ProgressBar label="Verify" progress={{ operation: "verify", phase: "download", bytes: 3 * 1024 * 1024 }} />,
  );
  assert.doesNotMatch(unknown, /aria-valuenow/);
  assert.match(unknown, /indeterminate/);
  assert.match(unknown, /aria-valuetext="3\.0 MiB…"/);
});

test("an operation that goes by rows (forensics) shows rows against the planner's estimate, not bytes", () => {
  const html = renderToStaticMarkup(
    <ProgressBar
      label="Compare"
      progress={{ operation: "forensics", phase: "compare", bytes: 0, rows: 25_000, totalRows: 100_000 }}
    />,
  );
  assert.match(html, /aria-valuenow="25"/);
  assert.match(html, /25% · 25,000 rows of about 100,000/);
  assert.doesNotMatch(html, /0 B/);
  const unknown = renderToStaticMarkup(
    <ProgressBar label="Compare" progress={{ operation: "forensics", phase: "compare", bytes: 0, rows: 4_200 }} />,
  );
  assert.match(unknown, /aria-valuetext="4,200 rows…"/);
});
