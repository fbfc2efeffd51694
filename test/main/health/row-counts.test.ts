// The seed's "sudden drop in record counts": key tables' exact counts across backups, and the HIGH alert (with the
// button that starts Scenario 1) when one falls past the profile's threshold or vanishes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { rowCountAlert } from "../../../src/main/alerts/alert-rules.ts";
import { computeAlerts } from "../../../src/main/alerts/compute-alerts.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { rowCountTrends } from "../../../src/main/health/row-counts.ts";
import { Alert } from "../../../src/shared/alert.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { BackupManifest, MANIFEST_FORMAT } from "../../../src/shared/manifest.ts";

function profile(over: Record<string, unknown> = {}): Profile {
  return validateProfile({
    name: "clinic",
    database: { host: "db.example", database: "clinic", user: "u" },
    storage: { kind: "folder", path: "/tmp/x" },
    encryption: { recipients: ["age1ww6lssmnrfq9szsshmmlqud0xvm96h06nrgv7mqlzwm3t43knqwst5ym47"] },
    ...over,
  });
}

let n = 0;
/** A backup holding these row counts (public schema), made `daysAgo` before 2026-01-20. */
function backup(daysAgo: number, counts: Record<string, number>): BackupManifest {
  const at = new Date(Date.parse("2026-01-20T02:00:00Z") - daysAgo * 86_400_000).toISOString();
  return BackupManifest.parse({
    format: MANIFEST_FORMAT,
    id: `b${++n}`,
    profile: "clinic",
    database: "clinic",
    server: { version: "15.14", major: 15 },
    pgDump: { version: "15.14", major: 15 },
    startedAt: at,
    finishedAt: at,
    object: { key: `k${n}`, bytes: 1000, sha256: "0".repeat(64) },
    databaseBytes: 5000,
    snapshot: "s",
    tables: Object.entries(counts).map(([table, rows]) => ({ schema: "public", table, rows })),
    compression: { algorithm: "zstd", level: 1 },
    encryption: { format: "age-v1", recipients: [] },
    restoreCommand: "",
    lifeboatVersion: "0.1.0",
  });
}

describe("record-count trends", () => {
  test("nothing to chart or alert on without backups; one backup charts without a change", () => {
    assert.deepEqual(rowCountTrends(profile(), []), []);
    const [patient] = rowCountTrends(profile(), [backup(0, { Patient: 150, Other: 9 })]);
    assert.deepEqual(patient, {
      table: "Patient",
      points: [{ id: `b${n}`, at: "2026-01-20T02:00:00.000Z", rows: 150 }],
      latest: 150,
      dropped: false,
    });
  });

  test("a drop past the threshold (default 10%) alerts HIGH with the Scenario 1 button; a smaller one does not", () => {
    const p = profile();
    const newestFirst = [
      backup(0, { Patient: 150, ClinicalNote: 381, AuditLog: 1500 }),
      backup(1, { Patient: 150, ClinicalNote: 423, AuditLog: 1520 }),
      backup(2, { Patient: 149, ClinicalNote: 420, AuditLog: 1490 }),
    ];
    const trends = rowCountTrends(p, newestFirst);
    assert.deepEqual(
      trends.map((t) => t.table),
      ["Patient", "ClinicalNote", "AuditLog"],
      "the profile's key tables, in its order",
    );
    const notes = trends.find((t) => t.table === "ClinicalNote")!;
    assert.deepEqual(
      notes.points.map((x) => x.rows),
      [420, 423, 381],
      "oldest first",
    );
    assert.equal(notes.changePercent, -9.9);
    assert.equal(notes.dropped, false, "9.9% is under the 10% threshold");
    assert.equal(rowCountAlert(p, trends, "b"), undefined);

    const strict = profile({ alerts: { rowDropPercent: 5 } });
    const alert = rowCountAlert(strict, rowCountTrends(strict, newestFirst), newestFirst[0]!.id)!;
    Alert.parse(alert);
    assert.equal(alert.severity, "HIGH");
    assert.equal(alert.rule, "row-count-drop");
    assert.match(alert.message, /ClinicalNote 423 → 381 rows \(-9\.9%\)/);
    assert.deepEqual(alert.action, {
      kind: "runbook",
      label: "Start the data-corruption runbook",
      runbook: "scenario-1-data-corruption",
    });
    const all = computeAlerts({
      profile: strict,
      now: new Date("2026-01-20T03:00:00Z"),
      backups: newestFirst,
      rowCounts: rowCountTrends(strict, newestFirst),
    });
    assert.deepEqual(
      all.map((a) => a.rule),
      ["row-count-drop"],
    );
  });

  test("a key table that vanished from the newest backup is a drop", () => {
    const trends = rowCountTrends(profile(), [backup(0, { Patient: 150 }), backup(1, { Patient: 150, User: 12 })]);
    const user = trends.find((t) => t.table === "User")!;
    assert.equal(user.missing, true);
    assert.equal(user.dropped, true);
    assert.match(rowCountAlert(profile(), trends, "b")!.message, /User is missing \(had 12 rows\)/);
  });

  test("without the profile's key tables, the largest tables are followed", () => {
    const trends = rowCountTrends(profile(), [backup(0, { a: 1, b: 50, c: 7, d: 9, e: 2, f: 3, g: 100 })]);
    assert.deepEqual(
      trends.map((t) => t.table),
      ["g", "b", "d", "c", "f", "e"],
    );
  });

  test("every alert that needs doing says how: its action", () => {
    const p = profile();
    const stale = computeAlerts({
      profile: p,
      now: new Date("2026-01-25T00:00:00Z"),
      backups: [backup(0, { Patient: 1 })],
      databaseError: { code: "PG_UNREACHABLE", message: "connection refused" },
      storageError: { code: "STORAGE_UNREACHABLE", message: "timed out" },
    });
    assert.deepEqual(
      stale.map((a) => [a.rule, a.action?.kind, a.action && "runbook" in a.action ? a.action.runbook : undefined]),
      [
        ["backup-stale", "backup", undefined],
        ["source-unreachable", "runbook", "scenario-2-database-loss"],
        ["source-unreachable", "profile-test", undefined],
      ],
    );
  });
});
