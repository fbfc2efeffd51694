import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { VerificationStep } from "../../../../src/renderer/src/screens/restore/verification-step.tsx";

const restored = {
  id: "20261207T115555Z-f5da",
  database: "clinic_restored",
  host: "127.0.0.1",
  created: true,
  tables: [{ table: "public.Patient", expected: 150, actual: 150, ok: true }],
  rows: 150,
  jobs: 1,
  durationMs: 1200,
};

test("a restore's warnings (a staging database left by an earlier restore) are listed under 'Needs doing'; none, no section", () => {
  const warning =
    'database "lifeboat_restoring_0a1b2c3d4e" (812 MB) on 127.0.0.1 is left from an earlier restore; DROP DATABASE "lifeboat_restoring_0a1b2c3d4e";';
  const html = renderToStaticMarkup(
    <VerificationStep outcome={{ kind: "backup", value: { ...restored, warnings: [warning] } }} />,
  );
  assert.match(
    html,
    /<section aria-label="Needs doing"><h4>Needs doing<\/h4><ul><li>database &quot;lifeboat_restoring_0a1b2c3d4e&quot; \(812 MB\)/,
  );
  const clean = renderToStaticMarkup(
    <VerificationStep outcome={{ kind: "backup", value: { ...restored, warnings: [] } }} />,
  );
  assert.doesNotMatch(clean, /Needs doing/);
  assert.match(clean, /clinic_restored/);
});
