// A runbook's version is what exported documents, practice runs and the compliance report name: changing its steps
// without raising it would let an auditor believe the practised procedure is the documented one. The fingerprints of
// each version's steps are kept in runbook-versions.json; a change to the steps fails here until the version is raised
// and the new fingerprint recorded (LIFEBOAT_UPDATE_RUNBOOK_VERSIONS=1 rewrites the file).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { RUNBOOKS } from "../../../src/shared/runbooks/all-runbooks.ts";

const FILE = new URL("./runbook-versions.json", import.meta.url);

function fingerprint(r: (typeof RUNBOOKS)[number]): string {
  return createHash("sha256")
    .update(JSON.stringify({ steps: r.steps, title: r.title }))
    .digest("hex");
}

test("every runbook's steps match the fingerprint recorded for its version", () => {
  const current = Object.fromEntries(RUNBOOKS.map((r) => [r.id, { version: r.version, steps: fingerprint(r) }]));
  if (process.env.LIFEBOAT_UPDATE_RUNBOOK_VERSIONS === "1")
    writeFileSync(FILE, `${JSON.stringify(current, null, 2)}\n`);
  const recorded = JSON.parse(readFileSync(FILE, "utf8")) as Record<string, { version: string; steps: string }>;
  for (const r of RUNBOOKS) {
    const was = recorded[r.id];
    assert.ok(was, `${r.id} has no recorded version: run with LIFEBOAT_UPDATE_RUNBOOK_VERSIONS=1`);
    if (was.version === r.version)
      assert.equal(
        current[r.id]!.steps,
        was.steps,
        `${r.id}'s steps changed but its version is still ${r.version}: raise it`,
      );
    assert.match(r.version, /^\d+\.\d+$/);
  }
});
