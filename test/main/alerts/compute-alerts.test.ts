import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  backupAgeAlert,
  backupSizeAlert,
  backupTestAlert,
  neonWindowAlert,
  unreachableAlert,
} from "../../../src/main/alerts/alert-rules.ts";
import { restoreTestRate, testOutcomes } from "../../../src/main/alerts/backup-tests.ts";
import { computeAlerts } from "../../../src/main/alerts/compute-alerts.ts";
import { AlertTracker } from "../../../src/main/alerts/new-alerts.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
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

function manifest(id: string, finishedAt: string, dumpBytes: number): BackupManifest {
  return BackupManifest.parse({
    format: MANIFEST_FORMAT,
    id,
    profile: "clinic",
    database: "clinic",
    server: { version: "15.14", major: 15 },
    pgDump: { version: "15.14", major: 15 },
    startedAt: finishedAt,
    finishedAt,
    object: { key: `clinic/${id}/clinic.dump.zst.age`, bytes: Math.round(dumpBytes / 3), sha256: "0".repeat(64) },
    dumpBytes,
    databaseBytes: dumpBytes * 2,
    snapshot: "00000003-0000001B-1",
    tables: [{ schema: "public", table: "Patient", rows: 150 }],
    compression: { algorithm: "zstd", level: 1 },
    encryption: { format: "age-v1", recipients: [] },
    restoreCommand: "",
    lifeboatVersion: "0.1.0",
  });
}

let seq = 0;
function rec(
  kind: string,
  outcome: JournalRecord["outcome"],
  ts: string,
  details: Record<string, unknown> = {},
): JournalRecord {
  return {
    v: 1,
    seq: ++seq,
    ts,
    actor: { user: "u", host: "h" },
    profile: "clinic",
    kind,
    summary: `${kind} of backup x`,
    details,
    outcome,
    prev: "0".repeat(64),
    hash: "0".repeat(64),
  };
}

const NOW = new Date("2026-03-10T12:00:00Z");

describe("profile defaults", () => {
  test("a profile without an alerts section gets the nightly-dump threshold, 50% size drop, and the seed's RTO/RPO", () => {
    const p = profile();
    assert.equal(p.alerts.maxBackupAgeMinutes, 1440);
    assert.equal(p.alerts.sizeDropPercent, 50);
    assert.deepEqual(p.targets, { rtoMinutes: 30, rpoMinutes: 1 });
    assert.deepEqual(p.contacts, []);
    assert.deepEqual(p.escalation, []);
  });
});

describe("backup age (CRITICAL)", () => {
  test("no backup at all", () => {
    const a = backupAgeAlert(profile(), [], NOW);
    assert.equal(a?.rule, "backup-missing");
    assert.equal(a?.severity, "CRITICAL");
  });
  test("newest backup older than the profile's threshold; the threshold is per profile", () => {
    const backups = [manifest("b2", "2026-03-09T10:00:00Z", 1000)]; // 26 h old
    const a = backupAgeAlert(profile(), backups, NOW);
    assert.equal(a?.rule, "backup-stale");
    assert.equal(a?.severity, "CRITICAL");
    assert.match(a!.message, /1 d 2 h ago/);
    assert.equal(backupAgeAlert(profile({ alerts: { maxBackupAgeMinutes: 2000 } }), backups, NOW), undefined);
    assert.ok(
      backupAgeAlert(
        profile({ alerts: { maxBackupAgeMinutes: 15 } }),
        [manifest("b3", "2026-03-10T11:40:00Z", 1)],
        NOW,
      ),
      "20 min > 15 min",
    );
  });
  test("a fresh backup raises nothing", () => {
    assert.equal(backupAgeAlert(profile(), [manifest("b", "2026-03-10T02:00:00Z", 1)], NOW), undefined);
  });
});

describe("backup size drop (MEDIUM)", () => {
  test("more than 50% smaller than the previous one is possible data loss", () => {
    const a = backupSizeAlert(profile(), [
      manifest("new", "2026-03-10T02:00:00Z", 400),
      manifest("old", "2026-03-09T02:00:00Z", 1000),
    ]);
    assert.equal(a?.severity, "MEDIUM");
    assert.equal(a?.rule, "backup-size-drop");
    assert.match(a!.title, /possible data loss/);
    assert.equal(a?.details?.dropPercent, 60);
  });
  test("without archive sizes, stored sizes are compared, but only between backups compressed alike", () => {
    const n = { ...manifest("n", "2026-03-10T02:00:00Z", 300), dumpBytes: undefined };
    const o = { ...manifest("o", "2026-03-09T02:00:00Z", 3000), dumpBytes: undefined };
    assert.equal(backupSizeAlert(profile(), [n, o])?.details?.dropPercent, 90);
    assert.equal(
      backupSizeAlert(profile(), [n, { ...o, compression: { algorithm: "pg_dump-gzip" as const } }]),
      undefined,
    );
  });
  test("exactly 50%, growth, or a single backup raise nothing", () => {
    assert.equal(
      backupSizeAlert(profile(), [
        manifest("n", "2026-03-10T02:00:00Z", 500),
        manifest("o", "2026-03-09T02:00:00Z", 1000),
      ]),
      undefined,
    );
    assert.equal(
      backupSizeAlert(profile(), [
        manifest("n", "2026-03-10T02:00:00Z", 1500),
        manifest("o", "2026-03-09T02:00:00Z", 1000),
      ]),
      undefined,
    );
    assert.equal(backupSizeAlert(profile(), [manifest("n", "2026-03-10T02:00:00Z", 1)]), undefined);
  });
});

describe("backup tests (HIGH)", () => {
  test("the last finished deep verify or drill decides; started records and plain verifies do not count", () => {
    const records = [
      rec("verify.deep", "started", "2026-03-01T00:00:00Z"),
      rec("verify.deep", "ok", "2026-03-01T00:01:00Z"),
      rec("verify.run", "failed", "2026-03-02T00:00:00Z"),
      rec("drill.neon", "failed", "2026-03-03T00:00:00Z"),
      rec("drill.neon", "started", "2026-03-04T00:00:00Z"),
    ];
    const outcomes = testOutcomes(records);
    assert.deepEqual(
      outcomes.map((o) => [o.kind, o.ok]),
      [
        ["verify.deep", true],
        ["drill.neon", false],
      ],
    );
    const a = backupTestAlert(profile(), outcomes.at(-1));
    assert.equal(a?.severity, "HIGH");
    assert.equal(a?.rule, "backup-test-failed");
    assert.equal(backupTestAlert(profile(), outcomes[0]), undefined);
  });
  test("a drill recorded ok but with pass:false is a failure", () => {
    assert.equal(testOutcomes([rec("drill.neon", "ok", "2026-03-03T00:00:00Z", { pass: false })])[0]?.ok, false);
  });
  test("success rate over the window; none is unknown (null), not 100%", () => {
    const outcomes = testOutcomes([
      rec("verify.deep", "ok", "2026-01-01T00:00:00Z"), // outside 30 days
      rec("verify.deep", "ok", "2026-03-01T00:00:00Z"),
      rec("drill.neon", "failed", "2026-03-05T00:00:00Z"),
      rec("drill.neon", "ok", "2026-03-08T00:00:00Z"),
      rec("drill.neon", "ok", "2026-03-09T00:00:00Z"),
    ]);
    assert.deepEqual(restoreTestRate(outcomes, NOW, 30), { total: 4, passed: 3, rate: 0.75, windowDays: 30 });
    assert.equal(restoreTestRate([], NOW, 30).rate, null);
  });
});

describe("Neon history window (HIGH)", () => {
  test("shorter than required", () => {
    const a = neonWindowAlert(profile(), { retentionSeconds: 86400, requiredSeconds: 7 * 86400 });
    assert.equal(a?.severity, "HIGH");
    assert.match(a!.message, /1 d of history.*requires 7 d/);
    assert.equal(neonWindowAlert(profile(), { retentionSeconds: 7 * 86400, requiredSeconds: 7 * 86400 }), undefined);
    assert.equal(
      a?.id,
      neonWindowAlert(profile(), { retentionSeconds: 86401, requiredSeconds: 7 * 86400 })?.id,
      "a window that grows is the same alert (notified once)",
    );
    assert.equal(neonWindowAlert(profile(), undefined), undefined);
  });
});

describe("computeAlerts", () => {
  test("all rules together, worst first, every alert valid against the contract", () => {
    const alerts = computeAlerts({
      profile: profile(),
      now: NOW,
      backups: [manifest("n", "2026-03-08T02:00:00Z", 100), manifest("o", "2026-03-07T02:00:00Z", 1000)],
      lastTest: testOutcomes([rec("verify.deep", "failed", "2026-03-09T00:00:00Z")])[0]!,
      neonWindow: { retentionSeconds: 3600, requiredSeconds: 86400 },
      databaseError: { code: "PG_UNREACHABLE", message: "connection refused" },
    });
    assert.deepEqual(
      alerts.map((a) => a.severity),
      ["CRITICAL", "CRITICAL", "HIGH", "HIGH", "MEDIUM"],
    );
    assert.deepEqual(
      new Set(alerts.map((a) => a.rule)),
      new Set(["source-unreachable", "backup-stale", "backup-test-failed", "neon-window-short", "backup-size-drop"]),
    );
    for (const a of alerts) Alert.parse(a);
  });
  test("an unreachable store is not reported as missing backups", () => {
    const alerts = computeAlerts({
      profile: profile(),
      now: NOW,
      storageError: { code: "STORAGE_UNREACHABLE", message: "timeout" },
    });
    assert.deepEqual(
      alerts.map((a) => a.rule),
      ["source-unreachable"],
    );
    assert.equal(alerts[0]?.severity, "HIGH");
    assert.equal(unreachableAlert(profile(), "storage", undefined), undefined);
  });
  test("a healthy profile has no alerts", () => {
    assert.deepEqual(
      computeAlerts({
        profile: profile(),
        now: NOW,
        backups: [manifest("n", "2026-03-10T02:00:00Z", 1000), manifest("o", "2026-03-09T02:00:00Z", 900)],
      }),
      [],
    );
  });
});

describe("AlertTracker", () => {
  test("announces each alert once, and again after it cleared and came back", () => {
    const t = new AlertTracker();
    const a = backupAgeAlert(profile(), [], NOW)!;
    const b = neonWindowAlert(profile(), { retentionSeconds: 1, requiredSeconds: 2 })!;
    assert.deepEqual(
      t.update([a]).map((x) => x.id),
      [a.id],
    );
    assert.deepEqual(
      t.update([a, b]).map((x) => x.id),
      [b.id],
    );
    assert.deepEqual(t.update([b]), []);
    assert.deepEqual(
      t.update([a, b]).map((x) => x.id),
      [a.id],
    );
  });
});
