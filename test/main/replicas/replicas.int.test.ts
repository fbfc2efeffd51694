// A second copy in another place: a Ceph RGW primary, a folder replica and a locked RGW bucket replica. Every backup
// is copied and proven on each; a replica that is down or full is reported and caught up later; a primary object
// that no longer matches its manifest is never copied.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { runBackup } from "../../../src/main/backup/run-backup.ts";
import { backupLockState } from "../../../src/main/object-lock/backup-lock-state.ts";
import { replicate } from "../../../src/main/replicas/replicate.ts";
import { whereBackupsAre } from "../../../src/main/replicas/where-backups-are.ts";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { verifyBackup } from "../../../src/main/verify/verify-backup.ts";
import type { Profile, StorageConfig } from "../../../src/shared/config.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";

const skip = rgwSkipReason();

describe("replicas: RGW primary, folder and locked-bucket replicas", { skip }, () => {
  const env = useProtectionEnv();
  const open = (s: StorageConfig) => openStore(s, (r) => resolveSecret(r, env().env));
  let profile: Profile;

  test("a replica that is down: the backup commits, the replica's failure is reported and journaled", async () => {
    await env().rgw.createBucket("rep-primary", { versioning: true });
    const down = { ...env().s3("rep-offsite"), endpoint: "http://127.0.0.1:9" };
    const p = env().profile(env().s3("rep-primary"), { replicas: [{ name: "offsite", storage: down }] });
    const m = await runBackup(p, env().ctx());
    assert.equal((await open(p.storage).then((s) => s.head(m.object.key)))?.bytes, m.object.bytes);
    const [offsite] = m.replicas!;
    assert.equal(offsite!.copied.length, 0);
    assert.match(
      offsite!.error!,
      /replica "offsite" (could not be reached|failed).*cannot reach S3 at http:\/\/127\.0\.0\.1:9/,
    );
    const failed = (await env().journal.query({ kind: "replica.copy", outcome: "failed", newest: true, limit: 1 }))
      .records[0]!;
    assert.equal(failed.details.replica, "offsite");
    assert.match(failed.summary, /Replica offsite could not be reached/);
  });

  test("two replicas: each backup exists on every store, proven by size and sha256, and verifies on each", async () => {
    const usb = join(env().dir, "usb");
    await mkdir(usb);
    await env().rgw.createBucket("rep-offsite", { objectLock: true });
    profile = env().profile(env().s3("rep-primary"), {
      retention: "clinical",
      replicas: [
        { name: "usb", storage: { kind: "folder", path: usb } },
        { name: "offsite", storage: env().s3("rep-offsite", "copies"), objectLock: { mode: "COMPLIANCE" } },
      ],
    });
    const m = await runBackup(profile, env().ctx());
    assert.deepEqual(
      m.replicas!.map((r) => [r.name, r.copied.map((c) => c.id), r.error]),
      [
        ["usb", [m.id], undefined],
        ["offsite", [m.id], undefined],
      ],
    );
    for (const r of m.replicas!) {
      assert.equal(r.copied[0]!.sha256, m.object.sha256);
      assert.equal(r.copied[0]!.bytes, m.object.bytes);
    }
    // The replica's copy is locked by the replica's own rule: the profile's first backup there is a monthly.
    const offsiteStore = await open(profile.replicas[1]!.storage);
    const lock = await backupLockState(offsiteStore, m, Date.now());
    assert.equal(lock.status, "locked", lock.summary);

    for (const store of ["primary", "usb", "offsite"]) {
      const v = await verifyBackup(profile, m.id, env().ctx(), { store });
      assert.equal(v.source!.name, store);
      assert.equal(v.sha256, m.object.sha256);
    }
    const where = await whereBackupsAre(profile, env().ctx());
    const row = where.backups.find((b) => b.id === m.id)!;
    assert.deepEqual(row.on, ["primary", "usb", "offsite"]);
    // The backup made while "offsite" was down is on the primary only, until replicate catches up.
    assert.ok(where.backups.some((b) => b.missingFrom.includes("offsite")));
  });

  test("replicate catches a replica up; a primary archive that no longer matches its manifest is not copied", async () => {
    const primary = await open(profile.storage);
    const stale = (await whereBackupsAre(profile, env().ctx())).backups.filter((b) => b.missingFrom.length);
    assert.equal(stale.length, 1);
    // A second backup whose primary archive is then tampered with (a new version with other bytes).
    const tampered = await runBackup({ ...profile, replicas: [] }, env().ctx());
    await primary.putSmall(tampered.object.key, "not the archive the manifest describes");

    const out = await replicate(profile, env().ctx());
    for (const r of out) {
      assert.deepEqual(
        r.copied.map((c) => c.id),
        [stale[0]!.id],
        `${r.name} copied what it lacked`,
      );
      assert.equal(r.failures.length, 1);
      assert.equal(r.failures[0]!.id, tampered.id);
      assert.match(r.failures[0]!.error, /does not match its manifest .* it was not copied to replica/);
    }
    const where = await whereBackupsAre(profile, env().ctx());
    assert.deepEqual(where.backups.find((b) => b.id === tampered.id)!.on, ["primary"]);
    assert.deepEqual(where.backups.find((b) => b.id === stale[0]!.id)!.on, ["primary", "usb", "offsite"]);
  });

  test("a replica that is full: a clear error, nothing half-copied is restorable there, the next run copies it", async () => {
    await env().rgw.createBucket("rep-small");
    env().rgw.setBucketQuota("rep-small", 1024);
    const small = env().s3("rep-small");
    const p = env().profile(env().s3("rep-primary"), { replicas: [{ name: "small", storage: small }] });
    const m = await runBackup(p, env().ctx());
    const [r] = m.replicas!;
    assert.match(r!.error!, /bucket rep-small is full: its quota is exceeded/);
    const there = await whereBackupsAre(p, env().ctx());
    assert.ok(!there.backups.find((b) => b.id === m.id)!.on.includes("small"));

    env().rgw.setBucketQuota("rep-small", 1024 * 1024 * 1024);
    const again = await replicate(p, env().ctx(), { replica: "small" });
    assert.ok(again[0]!.copied.some((c) => c.id === m.id));
    assert.equal(again[0]!.error, undefined);
  });
});
