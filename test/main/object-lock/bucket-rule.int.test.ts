// A store whose immutability is a bucket rule rather than a lock per object (Cloudflare R2's bucket locks): through the
// real CLI, against a real S3 server (Ceph RGW) behind a proxy that answers the S3 API as R2 does. `profile test`
// and `verify` say "bucket rule" when the store refuses a delete, and never call it locked per object; once the rule
// is gone they say the backups are unprotected.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startBucketRuleProxy, type BucketRuleProxy } from "../../harness/bucket-rule-proxy.ts";
import { runCli } from "../../harness/cli.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";

const skip = rgwSkipReason();

describe("a bucket rule instead of Object Lock (R2-style bucket locks)", { skip }, () => {
  const env = useProtectionEnv();
  let proxy: BucketRuleProxy | undefined;
  after(async () => proxy?.stop());
  let config = "";
  let id = "";
  const cli = (...args: string[]) => runCli(["--config", config, ...args], { env: env().env });
  const check = (r: Awaited<ReturnType<typeof cli>>, name: string) =>
    (r.json!.value.checks as { name: string; ok: boolean; warning?: boolean; detail: string }[]).find(
      (c) => c.name === name,
    )!;
  const through = () =>
    new S3Client({
      endpoint: proxy!.url,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: env().rgw.accessKeyId, secretAccessKey: env().rgw.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 1,
    });

  test("setup: an unversioned bucket behind the proxy, a rule on its nightly/ prefix", async () => {
    await env().rgw.createBucket("r2-like");
    proxy = await startBucketRuleProxy(env().rgw.endpoint, env().rgw.client());
    proxy!.rules.set("r2-like", [{ prefix: "nightly/", maxAgeSeconds: 30 * 86_400 }]);
    const storage = { ...env().s3("r2-like"), endpoint: proxy!.url };
    const profiles = [
      env().profile(storage, { name: "clinic", retention: "clinical", objectLock: { mode: "COMPLIANCE" } }),
      env().profile({ ...storage, prefix: "elsewhere" }, { name: "uncovered" }),
    ];
    config = join(env().dir, "bucket-rule.json");
    await writeFile(config, JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
  });

  test("profile test: Object Lock is a bucket rule (the store refused to delete a probe), not a lock per object", async () => {
    for (const round of [1, 2]) {
      const r = await cli("profile", "test", "clinic", "--json");
      assert.equal(r.code, 0, `round ${round}: ${r.stdout}${r.stderr}`);
      assert.equal(check(r, "storage").ok, true, `round ${round}: the write check passes again on a locked prefix`);
      const lock = check(r, "object lock");
      assert.equal(lock.ok, true);
      assert.match(
        lock.detail,
        /^immutability here is a bucket rule, not a lock per object: the store refused to delete a probe object Lifeboat wrote under s3:\/\/r2-like\/nightly\/ .*\(AccessDenied/,
      );
      assert.match(lock.detail, /make sure it covers this prefix for at least the longest retention tier/);
      assert.doesNotMatch(lock.detail, /not enabled|unprotected|no bucket rule/);
      assert.equal(check(r, "versioning").detail, "not applicable: the bucket's lock rules forbid overwrites");
    }
    assert.ok(
      proxy!.refused.some((x) => /^DELETE nightly\/\.lifeboat-lock-probe\//.test(x)),
      proxy!.refused.join("; "),
    );
    const text = await cli("profile", "test", "clinic");
    assert.match(text.stdout, /object lock.*immutability here is a bucket rule, not a lock per object/);
  });

  test("profile test of a prefix no rule covers: Object Lock unsupported, no bucket rule, said so", async () => {
    const r = await cli("profile", "test", "uncovered", "--json");
    const lock = check(r, "object lock");
    assert.equal(lock.ok, false);
    assert.equal(lock.warning, true, "the profile does not require a lock: a warning");
    assert.match(
      lock.detail,
      /offers no Object Lock, and no bucket rule protects s3:\/\/r2-like\/elsewhere\/ .*deleted at once/,
    );
    assert.doesNotMatch(lock.detail, /is a bucket rule/);
  });

  test("backup and verify: protected by the bucket rule, and the store does refuse to delete it", async () => {
    const b = await cli("backup", "-p", "clinic");
    assert.equal(b.code, 0, b.stdout + b.stderr);
    id = /backup (\S+) committed/.exec(b.stdout)![1]!;
    assert.match(b.stdout, /^ {2}locked by a bucket rule$/m);

    const v = await cli("verify", id, "-p", "clinic");
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      /^ {2}protection: bucket-rule: protected by a bucket rule, not a lock per object: the store refused to delete a probe object under s3:\/\/r2-like\/nightly\/ .*\(AccessDenied.*; S3 shows neither the rule nor how long it holds$/m,
    );
    const json = await cli("verify", id, "-p", "clinic", "--json");
    const lock = json.json!.value.lock;
    assert.equal(lock.status, "bucket-rule");
    assert.equal(lock.mode, null, "no per-object mode is claimed");
    assert.equal(lock.until, null, "no per-object retain-until is claimed");

    const locks = await cli("backups", "locks", "-p", "clinic", "--json");
    assert.deepEqual(
      locks.json!.value.backups.map((x: { status: string }) => x.status),
      ["bucket-rule"],
    );

    // What an attacker with the same keys gets: refusals, and the backup whole afterwards.
    const c = through();
    const archive = json.json!.value.lock.objects.find((o: { key: string }) => o.key.endsWith(".age")).key as string;
    await assert.rejects(c.send(new DeleteObjectCommand({ Bucket: "r2-like", Key: `nightly/${archive}` })), /locked/);
    await assert.rejects(
      c.send(new PutObjectCommand({ Bucket: "r2-like", Key: `nightly/clinic/${id}/manifest.json`, Body: "{}" })),
      /locked/,
    );
    c.destroy();
    const again = await cli("verify", id, "-p", "clinic");
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  test("the ransomware drill passes on the bucket rule: the overwrite and the delete are refused, the backup whole", async () => {
    const r = await cli("drill", "ransomware", "-p", "clinic");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^PASSED: ransomware drill on backup/);
    assert.match(r.stdout, /delete the archive's version for good: NOT-ATTEMPTED \(the bucket rule that refused/);
    assert.match(r.stdout, /is intact: manifest\.json reads back/);
    assert.match(r.stdout, /overwrite manifest\.json: REFUSED \(AccessDenied\)/);
    assert.match(r.stdout, /delete manifest\.json's version for good: REFUSED \(AccessDenied\)/);
    const v = await cli("verify", id, "-p", "clinic");
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });

  test("the rule removed: verify says unlocked (the rule it was made under no longer protects it), profile test fails", async () => {
    proxy!.rules.set("r2-like", []);
    const v = await cli("verify", id, "-p", "clinic");
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      /^ {2}protection: unlocked: not locked: the bucket rule it was made under no longer protects s3:\/\/r2-like\/nightly\/ .*: anyone holding the store's keys can delete it$/m,
    );
    const r = await cli("profile", "test", "clinic", "--json");
    assert.notEqual(r.code, 0, "the profile requires a lock it no longer has");
    const lock = check(r, "object lock");
    assert.equal(lock.ok, false);
    assert.equal(lock.warning, undefined);
    assert.match(lock.detail, /no bucket rule protects s3:\/\/r2-like\/nightly\//);
    const b = await cli("backup", "-p", "clinic");
    assert.equal(b.code, 3, b.stdout + b.stderr);
    assert.match(
      b.stderr,
      /requires Object Lock, but s3:\/\/r2-like\/nightly\/ .*has Object Lock unsupported: nothing was backed up/,
    );
  });
});
