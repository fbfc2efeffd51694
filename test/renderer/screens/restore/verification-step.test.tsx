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
  connection: {
    profile: "clinic",
    host: "127.0.0.1",
    port: 5433,
    database: "clinic_restored",
    user: "neondb_owner",
    sslmode: "disable",
    passwordRef: "keychain:clinic-db-password",
    uri: "postgresql://neondb_owner@127.0.0.1:5433/clinic_restored?sslmode=disable",
  },
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

test("the new database's connection details are there to copy, the password by its reference only", () => {
  const html = renderToStaticMarkup(
    <VerificationStep outcome={{ kind: "backup", value: { ...restored, warnings: [] } }} />,
  );
  assert.match(html, /<section class="card stack" aria-label="Connect to the new database">/);
  assert.match(html, /postgresql:\/\/neondb_owner@127\.0\.0\.1:5433\/clinic_restored\?sslmode=disable/);
  assert.match(
    html,
    /psql &quot;postgresql:\/\/neondb_owner@127\.0\.0\.1:5433\/clinic_restored\?sslmode=disable&quot;/,
  );
  assert.match(html, /keychain:clinic-db-password/);
  assert.match(html, />Copy connection URI</);
});
