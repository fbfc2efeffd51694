import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { ResultView } from "../../../../src/renderer/src/screens/runbooks/result-view.tsx";
import { weeklyBackupTest } from "../../../../src/shared/runbooks/weekly-backup-test.ts";

test("a list view shows each item under its heading, and nothing at all when the list is empty", () => {
  const view = { kind: "list", path: "failures", label: "Why it failed" } as const;
  const html = renderToStaticMarkup(
    <ResultView
      view={view}
      value={{ failures: ['"Patient": 90 rows, 40% fewer', "<b>not markup</b>"] }}
      label="drill"
    />,
  );
  assert.match(
    html,
    /<section aria-label="Why it failed"><h4>Why it failed<\/h4><ul><li>&quot;Patient&quot;: 90 rows, 40% fewer<\/li>/,
  );
  assert.match(html, /&lt;b&gt;not markup&lt;\/b&gt;/, "items are text, never HTML");
  assert.equal(renderToStaticMarkup(<ResultView view={view} value={{ failures: [] }} label="drill" />), "");
});

test("the weekly backup test's drill step shows why a failed drill failed", () => {
  const drill = weeklyBackupTest.steps.find((s) => s.id === "neon-drill")!;
  assert.equal(drill.kind, "action");
  const views = drill.kind === "action" ? [drill.show ?? []].flat() : [];
  const failed = {
    pass: false,
    phases: [],
    counts: [],
    failures: ["Patient: 90 rows, 40% fewer than the last run (150)"],
    warnings: ["branch left behind"],
    error: { code: "X", message: "Neon did not answer", hint: "Check the network." },
  };
  const html = views
    .map((v, i) => renderToStaticMarkup(<ResultView key={i} view={v} value={failed} label="drill" />))
    .join("\n");
  assert.match(html, /Patient: 90 rows, 40% fewer than the last run/);
  assert.match(html, /branch left behind/);
  assert.match(html, /Neon did not answer/);
  assert.match(html, /Check the network\./);
});
