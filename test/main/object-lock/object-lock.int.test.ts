// Object Lock against a real S3 server that enforces it (Ceph RGW): backups locked per retention tier and read back,
// locked objects that refuse deletion and overwrite, COMPLIANCE that cannot be shortened, legal holds.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { runBackup } from "../../../src/main/backup/run-backup.ts";
import { listBackups } from "../../../src/main/backup/backup-catalog.ts";
import { backupLockState } from "../../../src/main/object-lock/backup-lock-state.ts";
import { setLegalHold } from "../../../src/main/object-lock/legal-hold.ts";
import { objectLockFor, isRefusal } from "../../../src/main/object-lock/s3-object-lock.ts";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";
import { startCuttingProxy } from "../../harness/cutting-proxy.ts";

const skip = rgwSkipReason();
const DAY = 86_400_000;

describe("Object Lock on Ceph RGW", { skip }, () => {
  const env = useProtectionEnv();
  const store = (p: Profile) => openStore(p.storage, (r) => resolveSecret(r, env().env));
  const refused = (e: unknown) => {
    assert.ok(isRefusal(e), `expected the store to refuse, got ${String(e)}`);
    return true;
  };

  test("a profile that requires Object Lock on a bucket without it: refused before anything is dumped", async () => {
    await env().rgw.createBucket("no-lock-bucket", { versioning: true });
    const p = env().profile(env().s3("no-lock-bucket"), { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    await assert.rejects(runBackup(p, env().ctx()), (e: any) => {
      assert.equal(e.code, "OBJECT_LOCK_UNAVAILABLE");
      assert.match(e.message, /requires Object Lock, but s3:\/\/no-lock-bucket\/nightly\/ .*has Object Lock off/);
      assert.match(e.message, /no unlocked backup exists/);
      assert.match(e.hint, /put-object-lock-configuration|object-lock-enabled-for-bucket/);
      return true;
    });
    assert.deepEqual(await (await store(p)).list("clinic/"), [], "nothing was uploaded");
  });

  /**
   * A profile on a new Object Lock bucket behind a store that caps retention at a day for the objects whose HEAD path
   * matches `capped`: it says so in every HEAD, whatever it was asked for.
   */
  async function shortLockProfile(bucket: string, capped: RegExp): Promise<{ p: Profile; stop: () => Promise<void> }> {
    await env().rgw.createBucket(bucket, { objectLock: true });
    const proxy = await startCuttingProxy();
    proxy.target = env().rgw.endpoint;
    proxy.rewrite = (req, h) =>
      req.method === "HEAD" && capped.test(req.path) && h["x-amz-object-lock-retain-until-date"]
        ? { ...h, "x-amz-object-lock-retain-until-date": new Date(Date.now() + DAY).toISOString() }
        : h;
    const storage = { ...env().s3(bucket), endpoint: proxy.url };
    const p = env().profile(storage, { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    return { p, stop: () => proxy.stop() };
  }

  test("a store that keeps a shorter lock than the tier needs: the backup is not committed", async () => {
    const { p, stop } = await shortLockProfile("short-lock", /./);
    try {
      await assert.rejects(runBackup(p, env().ctx()), (e: any) => {
        assert.equal(e.code, "LOCK_NOT_TAKEN");
        assert.match(e.message, /did not keep the lock .* asked for COMPLIANCE until 20\d\d-/);
        assert.match(e.hint, /shorter than the backup's retention tier/);
        return true;
      });
      const catalog = await listBackups(await store(p), "clinic");
      assert.equal(catalog.backups.length, 0, "no manifest: the run never committed");
      assert.equal(catalog.incomplete.length, 1);
    } finally {
      await stop();
    }
  });

  test("a manifest lock that fails after the commit: reported as committed, with the warning on record", async () => {
    // The archive and its configuration keep their locks; only the manifest's (the commit marker's) is cut short.
    const { p, stop } = await shortLockProfile("manifest-lock", /manifest\.json(\?|$)/);
    try {
      const m = await runBackup(p, env().ctx());
      assert.equal(m.lock!.mode, "COMPLIANCE", "the archive is locked");
      assert.equal(m.warnings?.length, 1, JSON.stringify(m.warnings));
      assert.match(
        m.warnings![0]!,
        new RegExp(`manifest clinic/${m.id}/manifest\\.json is NOT locked \\(.*did not keep`),
      );
      assert.match(m.warnings![0]!, /lifeboat prune --apply/);
      const catalog = await listBackups(await store(p), "clinic");
      assert.deepEqual(
        catalog.backups.map((b) => b.id),
        [m.id],
        "committed: listed as restorable",
      );
      const records = (await env().journal.query({ kind: "backup.run" })).records;
      const end = records.at(-1)!;
      assert.equal(end.outcome, "ok", "the journal says what happened: the backup committed");
      assert.equal(end.details.id, m.id);
      assert.deepEqual(end.details.warnings, m.warnings, "and what went wrong after the commit");
    } finally {
      await stop();
    }
  });

  test("every object of a backup is locked until its tier lets it go, read back, recorded in the manifest", async () => {
    await env().rgw.createBucket("locked-backups", { objectLock: true });
    const p = env().profile(env().s3("locked-backups"), { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    const first = await runBackup(p, env().ctx());
    // The profile's first backup is the first of its day, week and month: a clinical monthly, locked seven years.
    assert.deepEqual(
      first.retention!.generations.map((g) => g.tier),
      ["daily", "weekly", "monthly"],
    );
    const sevenYears = Date.parse(first.startedAt) + 2555 * DAY;
    assert.ok(Math.abs(Date.parse(first.retention!.lockUntil) - sevenYears) < 2000);
    assert.equal(first.lock!.mode, "COMPLIANCE");
    assert.equal(first.lock!.retainUntil, first.retention!.lockUntil);
    assert.ok(first.lock!.versionId, "the archive's locked version is recorded");
    assert.ok(first.config, "the profile's configuration is stored beside the backup");

    const s = await backupLockState(await store(p), first, Date.now());
    assert.equal(s.status, "locked", s.summary);
    assert.deepEqual(
      s.objects.map((o) => o.key.split("/").pop()),
      [first.object.key.split("/").pop(), "profile.json", "manifest.json"],
    );
    for (const o of s.objects) {
      assert.equal(o.mode, "COMPLIANCE");
      assert.equal(o.retainUntil, first.retention!.lockUntil);
    }

    // A second backup the same day represents nothing new: it is locked like a daily (seven days from its day).
    const second = await runBackup(p, env().ctx());
    assert.deepEqual(second.retention!.generations, []);
    const dayStart = Date.parse(second.startedAt.slice(0, 10) + "T00:00:00Z");
    assert.equal(Date.parse(second.retention!.lockUntil), dayStart + 7 * DAY);
  });

  test("locked objects refuse deletion; an overwrite only adds a version and the original stays whole", async () => {
    const p = env().profile(env().s3("locked-backups"), { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    const st = await store(p);
    const [m] = (await listBackups(st, "clinic")).backups;
    const tool = objectLockFor(st)!;
    for (const key of [m!.object.key, `clinic/${m!.id}/manifest.json`]) {
      const v = (await tool.state(key))!;
      await assert.rejects(tool.deleteVersion(key, v.versionId!), refused);
      await assert.rejects(tool.deleteVersion(key, v.versionId!, { bypassGovernance: true }), refused);
    }
    const c = env().rgw.client();
    const full = `nightly/${m!.object.key}`;
    const before = (await tool.state(m!.object.key))!;
    await c.send(new PutObjectCommand({ Bucket: "locked-backups", Key: full, Body: "ENCRYPTED BY RANSOMWARE" }));
    const old = await c.send(
      new GetObjectCommand({ Bucket: "locked-backups", Key: full, VersionId: before.versionId! }),
    );
    assert.equal(Number(old.ContentLength), m!.object.bytes, "the locked version is untouched");
    await old.Body!.transformToByteArray();
  });

  test("COMPLIANCE cannot be shortened nor switched to GOVERNANCE; it can be extended", async () => {
    const p = env().profile(env().s3("locked-backups"), { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    const st = await store(p);
    const [m] = (await listBackups(st, "clinic")).backups;
    const tool = objectLockFor(st)!;
    const key = `clinic/${m!.id}/manifest.json`;
    const v = (await tool.state(key))!;
    const until = Date.parse(v.retainUntil!);
    await assert.rejects(tool.putRetention(key, v.versionId, "COMPLIANCE", new Date(until - DAY), true), refused);
    await assert.rejects(tool.putRetention(key, v.versionId, "GOVERNANCE", new Date(until), true), refused);
    const longer = await tool.lock(key, v.versionId, "COMPLIANCE", new Date(until + DAY));
    assert.equal(Date.parse(longer.retainUntil!), until + DAY);
  });

  test("a legal hold blocks deletion until it is released, and both are journaled", async () => {
    // A bucket with Object Lock but a profile that sets no retention: only the hold stands between it and deletion.
    await env().rgw.createBucket("hold-bucket", { objectLock: true });
    const p = env().profile(env().s3("hold-bucket"));
    const m = await runBackup(p, env().ctx());
    const st = await store(p);
    const tool = objectLockFor(st)!;
    const held = await setLegalHold(p, m.id, true, env().ctx());
    assert.equal(held.status, "locked");
    assert.equal(held.legalHold, true);
    assert.match(held.summary, /under legal hold/);
    const archive = (await tool.state(m.object.key))!;
    await assert.rejects(tool.deleteVersion(m.object.key, archive.versionId!, { bypassGovernance: true }), refused);

    const released = await setLegalHold(p, m.id, false, env().ctx());
    assert.equal(released.status, "unlocked");
    await tool.deleteVersion(m.object.key, archive.versionId!);
    assert.equal(await st.head(m.object.key), null);
    const kinds = (await env().journal.query({ kind: "backup.hold" })).records.map((r) => r.outcome);
    assert.deepEqual(kinds, ["started", "ok"]);
  });

  test("a legal hold on a folder store is refused with the reason", async () => {
    const p = env().profile({ kind: "folder", path: env().dir });
    await assert.rejects(setLegalHold(p, "20260101T000000Z-0000", true, env().ctx()), (e: any) => {
      assert.equal(e.code, "OBJECT_LOCK_UNAVAILABLE");
      assert.match(e.message, /is a folder: it cannot hold a backup against deletion/);
      return true;
    });
  });
});
