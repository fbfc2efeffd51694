// The ransomware drill against Ceph RGW: it passes only where the store refuses, fails with the reason elsewhere, and
// in every case the backup reads back whole and still verifies afterwards.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { runBackup } from "../../../src/main/backup/run-backup.ts";
import { ransomwareDrill } from "../../../src/main/object-lock/ransomware-drill.ts";
import { objectLockFor } from "../../../src/main/object-lock/s3-object-lock.ts";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { verifyBackup } from "../../../src/main/verify/verify-backup.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";

const skip = rgwSkipReason();

describe("the ransomware drill on Ceph RGW", { skip }, () => {
  const env = useProtectionEnv();
  const store = (p: Profile) => openStore(p.storage, (r) => resolveSecret(r, env().env));
  const outcomes = (r: { attempts: { attempt: string; outcome: string }[] }) =>
    Object.fromEntries(
      r.attempts.map((a) => [a.attempt.replace(/ \(.*|'s version .*|'s .* retention.*/, ""), a.outcome]),
    );

  async function manifestVersions(p: Profile, id: string): Promise<number> {
    const tool = objectLockFor(await store(p))!;
    return (await tool.versions(`clinic/${id}/manifest.json`)).filter((v) => !v.deleteMarker).length;
  }

  test("an unlocked, versioned bucket: FAIL with the reason, and the backup is intact and still verifies", async () => {
    await env().rgw.createBucket("drill-versioned", { versioning: true });
    const p = env().profile(env().s3("drill-versioned"));
    const m = await runBackup(p, env().ctx());
    const r = await ransomwareDrill(p, env().ctx());
    assert.equal(r.passed, false);
    assert.equal(r.id, m.id);
    assert.deepEqual(outcomes(r), {
      "overwrite manifest.json": "harmless",
      "shorten manifest.json's retention": "not-attempted",
      "delete manifest.json": "allowed",
      "delete the archive": "not-attempted",
    });
    assert.match(
      r.reasons.join(" "),
      /let these credentials delete the backup's manifest for good: Object Lock is not enabled/,
    );
    assert.equal(r.intact, true, r.aftermath);
    // The original manifest version is gone (the drill proved it could be), the drill's identical copy took its place.
    assert.equal(await manifestVersions(p, m.id), 1);
    const v = await verifyBackup(p, m.id, env().ctx());
    assert.equal(v.sha256, m.object.sha256);
  });

  test("an unversioned bucket: FAIL because an overwrite replaces in place; no delete is even tried", async () => {
    await env().rgw.createBucket("drill-plain");
    const p = env().profile(env().s3("drill-plain"));
    const m = await runBackup(p, env().ctx());
    const r = await ransomwareDrill(p, env().ctx());
    assert.equal(r.passed, false);
    assert.equal(outcomes(r)["overwrite manifest.json"], "allowed");
    assert.equal(outcomes(r)["delete manifest.json"], "not-attempted");
    assert.match(r.reasons[0]!, /an overwrite replaces a backup for good: the bucket is not versioned/);
    assert.equal(r.intact, true);
    await verifyBackup(p, m.id, env().ctx());
  });

  test("a folder store: FAIL, nothing attempted", async () => {
    const p = env().profile({ kind: "folder", path: env().dir });
    await runBackup(p, env().ctx());
    const r = await ransomwareDrill(p, env().ctx());
    assert.equal(r.passed, false);
    assert.match(r.reasons[0]!, /is a folder: anyone who can write to it can delete or overwrite every backup/);
  });

  test("a COMPLIANCE-locked bucket: PASS, every attempt refused, and the store is left as it was", async () => {
    await env().rgw.createBucket("drill-locked", { objectLock: true });
    const p = env().profile(env().s3("drill-locked"), { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    const m = await runBackup(p, env().ctx());
    const r = await ransomwareDrill(p, env().ctx());
    assert.equal(r.passed, true, r.reasons.join("; "));
    assert.deepEqual(outcomes(r), {
      "overwrite manifest.json": "harmless",
      "shorten manifest.json": "refused",
      "delete manifest.json": "refused",
      "delete the archive": "refused",
    });
    assert.match(r.attempts.find((a) => a.outcome === "refused")!.detail, /AccessDenied/);
    assert.equal(r.intact, true);
    assert.match(r.aftermath, /identical copy of manifest.json was removed again/);
    assert.equal(await manifestVersions(p, m.id), 1);
    const journaled = (await env().journal.query({ kind: "protection.drill", newest: true, limit: 1 })).records[0]!;
    assert.equal(journaled.outcome, "ok");
    assert.equal(journaled.details.passed, true);
  });

  test("GOVERNANCE with credentials that may bypass it: FAIL with the reason, the original lock put back", async () => {
    await env().rgw.createBucket("drill-governance", { objectLock: true });
    const p = env().profile(env().s3("drill-governance"), {
      retention: "clinical",
      objectLock: { mode: "GOVERNANCE" },
    });
    const m = await runBackup(p, env().ctx());
    const tool = objectLockFor(await store(p))!;
    const before = (await tool.state(`clinic/${m.id}/manifest.json`))!;
    const r = await ransomwareDrill(p, env().ctx());
    assert.equal(r.passed, false);
    assert.match(r.reasons.join(" "), /GOVERNANCE mode, and these credentials may bypass it/);
    const after = (await tool.state(`clinic/${m.id}/manifest.json`, before.versionId!))!;
    assert.equal(after.retainUntil, before.retainUntil, "the shortened lock was extended back");
    assert.equal(r.intact, true);
  });

  test("a bucket whose default retention locks the drill's own copy: PASS, and the copy keeps the original's lock", async () => {
    await env().rgw.createBucket("drill-default", {
      objectLock: true,
      defaultRetention: { mode: "COMPLIANCE", days: 1 },
    });
    const p = env().profile(env().s3("drill-default"), { retention: "clinical", objectLock: { mode: "COMPLIANCE" } });
    const m = await runBackup(p, env().ctx());
    const r = await ransomwareDrill(p, env().ctx());
    assert.equal(r.passed, true, r.reasons.join("; "));
    assert.match(r.aftermath, /stays: the bucket's default retention holds it/);
    const tool = objectLockFor(await store(p))!;
    const latest = (await tool.state(`clinic/${m.id}/manifest.json`))!;
    assert.equal(latest.retainUntil, m.retention!.lockUntil);
  });
});
