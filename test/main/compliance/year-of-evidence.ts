// A generated year of evidence, written through the real journal (an injected clock) and a real folder store: every
// day a scheduled backup (its manifest, an age-encrypted archive, backup.run and schedule.run records), retention
// pruning each daily once its week is over, a weekly deep verify, a DR drill each quarter, the runbooks exported, and
// practice runs in a separate practice journal; optionally a replica in another region copied after each backup. The
// spec says where it deviates (gaps, a failed quarter, an expired lock, a backup missing its replica), so a test knows
// exactly which verdicts and citations to expect.
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { ProfileInput } from "../../../src/shared/config.ts";
import { MANIFEST_FORMAT, type BackupManifest } from "../../../src/shared/manifest.ts";
import { RUNBOOKS } from "../../../src/shared/runbooks/all-runbooks.ts";
import { createAgeEncryptStream } from "../../../src/main/crypto/age-encrypt.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import { at, practiceRuns } from "./practice-runs.ts";

const DAY = 86_400_000;

export interface YearSpec {
  profile: string;
  year: number;
  /** Days of the year (0 = 1 January) on which the scheduled backup did not run. */
  skipDays: number[];
  /** Days on which a backup was made by hand instead (no scheduled run). */
  manualDays: number[];
  /** The quarter (0-3) whose drill failed. */
  failQuarter: number;
  /** The month (0-11) whose monthly backup's lock expired after 30 days, though its tier keeps it seven years. */
  expiredLockMonth: number;
  /** Runbooks exported (by id) at their current version; the rest are never exported. */
  exported?: string[];
  /**
   * A replica ("offsite", in another region) holding a copy of every backup, each proven by a replica.copy record,
   * except the backup of this day, which was never copied. The stores are folders standing in for two buckets: the
   * profile names them as S3 stores in eu-central-1 and us-east-2, which is where a report reads their regions from.
   */
  replicaMissingDay?: number;
}

/** The year most tests read: two missed days in February, the third quarter's drill failed, April's lock expired. */
export const FAULTY_YEAR: YearSpec = {
  profile: "clinic",
  year: 2025,
  skipDays: [40, 41],
  manualDays: [],
  failQuarter: 2,
  expiredLockMonth: 3,
};

export interface Year {
  dir: string;
  journalDir: string;
  practiceDir: string;
  storeDir: string;
  /** The replica's folder (with replicaMissingDay). */
  replicaDir: string;
  profile: ProfileInput;
  /** When the report is made: two days after the year ended. */
  now: Date;
  from: string;
  to: string;
  /** Every backup id made, by day of the year. */
  ids: Map<number, string>;
  monthly: string[];
  /** Records by what they are, for the test's expected citations. */
  records: {
    made: Map<string, JournalRecord>;
    runs: Map<string, JournalRecord>;
    pruned: Map<string, JournalRecord>;
    drills: JournalRecord[];
    exports: JournalRecord[];
    training: JournalRecord[];
    /** replica.copy (ok) by backup id. */
    copies: Map<string, JournalRecord>;
  };
  manifestSha: Map<string, string>;
}

function idFor(t: number, n: number): string {
  return `${new Date(t)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${n.toString(16).padStart(4, "0")}`;
}

/** A journal shared by several generated profiles (the bench's ten): written to, and left open for the caller. */
export interface SharedJournal {
  j: OpenJournal;
  clock: { t: number };
}

export async function generateYear(dir: string, spec: YearSpec, shared?: SharedJournal): Promise<Year> {
  const journalDir = join(dir, "journal");
  const practiceDir = join(dir, "practice", "journal");
  const storeDir = join(dir, "store");
  const replicaDir = join(dir, "replica");
  await mkdir(storeDir, { recursive: true });
  await mkdir(replicaDir, { recursive: true });
  const store = new FolderStore(storeDir);
  const replica = new FolderStore(replicaDir);
  const { recipient } = generateIdentity();
  const clock = shared?.clock ?? { t: Date.UTC(spec.year, 0, 1) };
  const actor = { user: "amal.dba", host: "dr-laptop" };
  const j = shared?.j ?? (await openJournal({ dir: journalDir, clock: () => new Date(clock.t), actor }));
  const start = Date.UTC(spec.year, 0, 1);
  const days = (Date.UTC(spec.year + 1, 0, 1) - start) / DAY;
  const ids = new Map<number, string>();
  const monthly: string[] = [];
  const manifestSha = new Map<string, string>();
  const records: Year["records"] = {
    made: new Map(),
    runs: new Map(),
    pruned: new Map(),
    drills: [],
    exports: [],
    training: [],
    copies: new Map(),
  };
  const retained: { id: string; day: number; daily: boolean }[] = [];
  const p = spec.profile;

  for (let d = 0; d < days; d++) {
    const t0 = start + d * DAY + 2 * 3_600_000;
    const firstOfMonth = new Date(t0).getUTCDate() === 1;
    const scheduled = !spec.skipDays.includes(d) && !spec.manualDays.includes(d);
    if (scheduled || spec.manualDays.includes(d)) {
      const id = idFor(t0, d);
      ids.set(d, id);
      const archive = await buffer(
        Readable.from([Buffer.from(`pg_dump archive of day ${d}`)]).pipe(createAgeEncryptStream([recipient])),
      );
      const key = `${p}/${id}/neondb.pgdump.zst.age`;
      await store.putSmall(key, archive);
      const month = new Date(t0).getUTCMonth();
      const keptUntil = new Date(t0 + (firstOfMonth ? 2555 : 7) * DAY).toISOString();
      const lockUntil =
        firstOfMonth && month === spec.expiredLockMonth ? new Date(t0 + 30 * DAY).toISOString() : keptUntil;
      const m: BackupManifest & Record<string, unknown> = {
        format: MANIFEST_FORMAT,
        id,
        profile: p,
        database: "neondb",
        server: { version: "17.2", major: 17 },
        pgDump: { version: "17.2", major: 17 },
        startedAt: new Date(t0).toISOString(),
        finishedAt: new Date(t0 + 180_000).toISOString(),
        object: { key, bytes: archive.length, sha256: createHash("sha256").update(archive).digest("hex") },
        databaseBytes: 26_000_000,
        snapshot: "00000003-0000001B-1",
        tables: [
          { schema: "public", table: "Patient", rows: 150 + d },
          { schema: "public", table: "ClinicalNote", rows: 423 + 3 * d },
        ],
        compression: { algorithm: "zstd", level: 1 },
        encryption: { format: "age-v1", recipients: [recipient] },
        restoreCommand: "aws s3 cp … | age -d | zstd -d | pg_restore",
        lifeboatVersion: "0.1.0",
        retention: {
          generations: [
            {
              tier: "daily" as const,
              period: new Date(t0).toISOString().slice(0, 10),
              until: new Date(t0 + 7 * DAY).toISOString(),
            },
            ...(firstOfMonth
              ? [{ tier: "monthly" as const, period: new Date(t0).toISOString().slice(0, 7), until: keptUntil }]
              : []),
          ],
          lockUntil: keptUntil,
        },
        lock: { mode: "COMPLIANCE", retainUntil: lockUntil, versionId: null },
      };
      const text = `${JSON.stringify(m, null, 2)}\n`;
      manifestSha.set(id, createHash("sha256").update(text).digest("hex"));
      if (scheduled)
        await at(j, clock, t0, {
          kind: "schedule.run",
          profile: p,
          outcome: "started",
          summary: `Scheduled backup of ${p} started`,
          details: { job: "backup", runId: `run-${d}` },
        });
      const begun = await at(j, clock, t0, {
        kind: "backup.run",
        profile: p,
        outcome: "started",
        summary: `Backup of neondb (profile ${p})`,
        details: {},
      });
      await store.putSmall(`${p}/${id}/manifest.json`, text);
      records.made.set(
        id,
        await at(j, clock, t0 + 180_000, {
          kind: "backup.run",
          profile: p,
          outcome: "ok",
          durationMs: 180_000,
          summary: `Backup of neondb (profile ${p})`,
          details: {
            id,
            objectKey: key,
            bytes: archive.length,
            sha256: m.object.sha256,
            tables: 2,
            rows: 573,
            startSeq: begun.seq,
          },
        }),
      );
      if (scheduled)
        records.runs.set(
          id,
          await at(j, clock, t0 + 181_000, {
            kind: "schedule.run",
            profile: p,
            outcome: "ok",
            durationMs: 181_000,
            summary: `Scheduled backup of ${p} succeeded`,
            details: { job: "backup", runId: `run-${d}`, attempts: 1, result: { backupId: id, durationMs: 180_000 } },
          }),
        );
      if (spec.replicaMissingDay !== undefined && d !== spec.replicaMissingDay) {
        // Copied to the replica right after it committed, and the copy proven there (size and sha256 read back).
        const copying = await at(j, clock, t0 + 182_000, {
          kind: "replica.copy",
          profile: p,
          outcome: "started",
          summary: `Copying backup ${id} to replica offsite`,
          details: { id, replica: "offsite" },
        });
        await replica.putSmall(key, archive);
        await replica.putSmall(`${p}/${id}/manifest.json`, text);
        records.copies.set(
          id,
          await at(j, clock, t0 + 190_000, {
            kind: "replica.copy",
            profile: p,
            outcome: "ok",
            durationMs: 8_000,
            summary: `Backup ${id} copied to replica offsite and proven there`,
            details: {
              id,
              replica: "offsite",
              bytes: archive.length,
              sha256: m.object.sha256,
              manifestSha256: manifestSha.get(id),
              startSeq: copying.seq,
            },
          }),
        );
      }
      if (firstOfMonth) monthly.push(id);
      retained.push({ id, day: d, daily: !firstOfMonth });
    }
    // Retention: a daily backup whose week is over is deleted, and the deletion journaled.
    for (const r of retained.filter((x) => x.daily && x.day === d - 8)) {
      await store.delete(`${p}/${r.id}/neondb.pgdump.zst.age`);
      await store.delete(`${p}/${r.id}/manifest.json`);
      records.pruned.set(
        r.id,
        await at(j, clock, t0 + 600_000, {
          kind: "prune.delete",
          profile: p,
          outcome: "ok",
          summary: `Deleted backup ${r.id} (profile ${p}, primary)`,
          details: { id: r.id, store: "primary", manifestSha256: manifestSha.get(r.id), objects: 2 },
        }),
      );
    }
    // Every Sunday, a deep verify of the newest backup.
    if (new Date(t0).getUTCDay() === 0 && ids.get(d)) {
      await at(j, clock, t0 + 3_600_000 + 95_000, {
        kind: "verify.deep",
        profile: p,
        outcome: "ok",
        durationMs: 95_000,
        summary: `Deep verify of backup ${ids.get(d)} (profile ${p})`,
        details: { id: ids.get(d), tables: 2, rows: 573 },
      });
    }
    // The quarterly DR drill, on the 15th of the quarter's second month.
    const date = new Date(t0);
    if (date.getUTCDate() === 15 && date.getUTCMonth() % 3 === 1) {
      const q = Math.floor(date.getUTCMonth() / 3);
      const backupId = ids.get(d)!;
      const pass = q !== spec.failQuarter;
      records.drills.push(
        await at(j, clock, t0 + 4 * 3_600_000 + 600_000, {
          kind: "drill.restore",
          profile: p,
          outcome: "ok",
          durationMs: 600_000,
          summary: `DR drill: full restore of the latest backup of ${p} into a scratch database`,
          details: {
            pass,
            backupId,
            scratch: "local-cluster",
            tables: 2,
            rows: 573,
            phases: [
              { name: "download", durationMs: 120_000 },
              { name: "restore", durationMs: 420_000 },
              { name: "count", durationMs: 60_000 },
            ],
            rtoMs: 540_000,
          },
        }),
      );
    }
  }
  // The runbooks went into the DR binder in March.
  for (const id of spec.exported ?? RUNBOOKS.map((r) => r.id)) {
    const r = RUNBOOKS.find((x) => x.id === id)!;
    records.exports.push(
      await at(j, clock, Date.UTC(spec.year, 2, 3, 10), {
        kind: "runbook.export",
        outcome: "ok",
        summary: `Runbook ${r.id} version ${r.version} exported as md`,
        details: {
          runbook: r.id,
          version: r.version,
          title: r.title,
          format: "md",
          sha256: "a".repeat(64),
          bytes: 4000,
        },
      }),
    );
  }
  if (!shared) await j.close();

  records.training.push(...(await practiceRuns(practiceDir, spec.year)));

  const profile: ProfileInput = {
    name: p,
    database: { host: "127.0.0.1", database: "neondb", user: "neondb_owner", sslmode: "disable" },
    storage:
      spec.replicaMissingDay === undefined
        ? { kind: "folder", path: storeDir }
        : { kind: "s3", bucket: `${p}-backups`, region: "eu-central-1" },
    ...(spec.replicaMissingDay === undefined
      ? {}
      : { replicas: [{ name: "offsite", storage: { kind: "s3", bucket: `${p}-offsite`, region: "us-east-2" } }] }),
    encryption: { recipients: [recipient] },
    schedule: { timezone: "UTC", backup: "daily at 02:00", drill: "quarterly on day 15 at 06:00" },
    targets: { rtoMinutes: 30, rpoMinutes: 1440 },
  };
  return {
    dir,
    journalDir,
    practiceDir,
    storeDir,
    replicaDir,
    profile,
    now: new Date(Date.UTC(spec.year + 1, 0, 2, 9)),
    from: `${spec.year}-01-01`,
    to: `${spec.year}-12-31`,
    ids,
    monthly,
    records,
    manifestSha,
  };
}
