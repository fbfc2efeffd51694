// A realistic data-corruption incident laid out on a test clock (the runbook's scenario 1): detection, decisions,
// a Neon point-in-time branch, a failed and a refused operation, service restored, checklist ticks, close.
import { LifeboatError } from "../../../src/shared/errors.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import {
  addNote,
  closeIncident,
  markServiceRestored,
  openIncident,
  tickChecklistItem,
} from "../../../src/main/incidents/incident-actions.ts";
import { testClock } from "../journal/journal-test-dir.ts";

const MIN = 60_000;

export async function buildIncidentScenario(dir: string): Promise<{ j: OpenJournal; id: string }> {
  const c = testClock("2026-01-17T14:20:00.000Z");
  const j = await openJournal({ dir, clock: c.clock, actor: { user: "amal.dba", host: "dr-laptop" } });
  // Routine life before the incident.
  await j.step(
    { kind: "backup.run", summary: "Nightly backup of neondb (profile prod)", profile: "prod" },
    async () => c.advance(3 * MIN),
    () => ({ id: "20260117T142000Z", bytes: 48_213_112 }),
  );
  c.advance(15 * MIN);

  const { id } = await openIncident(
    j,
    {
      title: "Clinical notes deleted by a bad bulk update",
      severity: "SEV1",
      scenario: "data-corruption",
      detectedAt: "2026-01-17T14:36:10Z",
      corruptionTime: "2026-01-17T14:35:00Z",
      profile: "prod",
    },
    new Date("2026-01-17T14:38:00Z"),
  );
  c.advance(1 * MIN);
  await addNote(j, {
    text: 'Audit log shows DELETE on "ClinicalNote", 1,204 rows at 14:35:00 UTC <script>alert("x")</script>',
  });
  c.advance(1 * MIN);
  await addNote(j, {
    kind: "decision",
    text: "Recover to 14:34:59 on a Neon branch; production stays read-only meanwhile",
  });
  c.advance(30_000);
  await j.step(
    { kind: "neon.recover-to", summary: "Neon branch recovery-2026-01-17-1434 at 14:34:59 UTC", profile: "prod" },
    async () => c.advance(2 * MIN),
    () => ({
      branch: "recovery-2026-01-17-1434",
      recoveryPoint: "2026-01-17T14:34:59Z",
    }),
  );
  c.advance(20_000);
  await j
    .step(
      { kind: "forensics.copy", summary: "Copy ClinicalNote rows 14:00–14:35 from the branch", profile: "prod" },
      async () => {
        c.advance(40_000);
        throw new LifeboatError("PG_ERROR", 'relation "ClinicalNote" does not exist', "Quote the table name.");
      },
    )
    .catch(() => {});
  c.advance(30_000);
  await j.step(
    { kind: "forensics.copy", summary: 'Copy "ClinicalNote" rows 14:00–14:35 from the branch', profile: "prod" },
    async () => c.advance(3 * MIN),
    () => ({ rows: 1204 }),
  );
  c.advance(20_000);
  await j
    .step(
      { kind: "restore.run", summary: "Restore backup 20260117T142000Z into production", profile: "prod" },
      async () => {
        throw new LifeboatError(
          "CONFIRMATION_REQUIRED",
          "Restoring into neondb needs its name typed to confirm.",
          "Not needed: rows were copied instead.",
        );
      },
    )
    .catch(() => {});
  c.advance(1 * MIN);
  await tickChecklistItem(j, { item: "Verify data integrity" });
  c.advance(2 * MIN);
  await tickChecklistItem(j, { item: "2" });
  c.advance(9 * MIN);
  await markServiceRestored(j, { at: "2026-01-17T14:59:00Z" });
  c.advance(2 * MIN);
  await tickChecklistItem(j, { item: "notify" });
  c.advance(1 * MIN);
  await addNote(j, { text: "Counts match the 14:20 backup manifest for all 14 tables." });
  c.advance(10 * MIN);
  await j.step(
    { kind: "verify.run", summary: "Verify backup 20260117T142000Z (profile prod)", profile: "prod" },
    async () => c.advance(90_000),
    () => ({ tables: 14, rows: 182_331 }),
  );
  c.advance(5 * MIN);
  await closeIncident(j, {
    resolution: "Rows copied back from the recovery branch; no data lost",
    followUps: ["Guard bulk DELETE behind a feature flag", "Alert on >100 deletes/min in AuditLog"],
  });
  return { j, id };
}
