// `lifeboat verify`'s protection line (each backup's lock state as the store reports it), through the real CLI entry
// against Ceph RGW: a backup locked per its tier (mode and retain-until), one under legal hold only, one unlocked.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../harness/cli.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";

const skip = rgwSkipReason();

describe("lifeboat verify: the protection line of a locked, a held and an unlocked backup (Ceph RGW)", { skip }, () => {
  const env = useProtectionEnv();
  let config = "";
  const ids: Record<string, string> = {};
  const cli = (...args: string[]) => runCli(["--config", config, ...args], { env: env().env });
  const protectionLine = (stdout: string) => stdout.split("\n").find((l) => l.startsWith("  protection: "));

  test("setup: three profiles, one backup each", async () => {
    await env().rgw.createBucket("vp-locked", { objectLock: true });
    await env().rgw.createBucket("vp-held", { objectLock: true });
    await env().rgw.createBucket("vp-open", { versioning: true });
    const profiles = [
      env().profile(env().s3("vp-locked"), {
        name: "locked",
        retention: "clinical",
        objectLock: { mode: "COMPLIANCE" },
      }),
      env().profile(env().s3("vp-held"), { name: "held" }),
      env().profile(env().s3("vp-open"), { name: "open" }),
    ];
    config = join(env().dir, "verify-protection.json");
    await writeFile(config, JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
    for (const p of profiles) {
      const r = await cli("backup", "-p", p.name, "--json");
      assert.equal(r.code, 0, r.stdout + r.stderr);
      ids[p.name] = r.json!.value.id;
    }
    const held = await cli("backups", "hold", ids.held!, "-p", "held");
    assert.equal(held.code, 0, held.stdout + held.stderr);
  });

  test("a locked backup: COMPLIANCE until its tier's date, on all three objects", async () => {
    const v = await cli("verify", ids.locked!, "-p", "locked");
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const line = protectionLine(v.stdout);
    assert.match(
      line ?? "",
      /^ {2}protection: locked: locked \(COMPLIANCE\) until (20\d\d-\d\d-\d\dT[\d:.]+Z) on all 3 objects$/,
    );
    const until = /until (\S+) on/.exec(line!)![1]!;
    // The first backup of a clinical profile is a monthly: locked seven years (2,555 days) from when it was made.
    const years = (Date.parse(until) - Date.now()) / (365.25 * 86_400_000);
    assert.ok(years > 6.9 && years < 7.1, `retain-until ${until} is seven years out`);

    const json = await cli("verify", ids.locked!, "-p", "locked", "--json");
    assert.equal(json.code, 0, json.stderr);
    const lock = json.json!.value.lock;
    assert.equal(lock.status, "locked");
    assert.equal(lock.mode, "COMPLIANCE");
    assert.equal(lock.until, until);
    assert.equal(lock.legalHold, false);
    assert.equal(lock.objects.length, 3);
    for (const o of lock.objects) {
      assert.equal(o.mode, "COMPLIANCE", o.key);
      assert.ok(Date.parse(o.retainUntil) >= Date.parse(until), o.key);
      assert.ok(o.versionId, `${o.key}: the lock is on a version`);
    }
    const names = lock.objects.map((o: { key: string }) => o.key.slice(o.key.lastIndexOf("/") + 1)).sort();
    assert.equal(names.length, 3);
    assert.ok(names.includes("manifest.json") && names.includes("profile.json"), names.join(", "));
    assert.ok(
      names.some((n: string) => n.endsWith(".age")),
      `the archive is among them: ${names.join(", ")}`,
    );
  });

  test("a held backup (no retention lock): under legal hold, and no longer once released", async () => {
    const v = await cli("verify", ids.held!, "-p", "held");
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(protectionLine(v.stdout), "  protection: locked: under legal hold on all 3 objects");
    const json = await cli("verify", ids.held!, "-p", "held", "--json");
    const lock = json.json!.value.lock;
    assert.equal(lock.status, "locked");
    assert.equal(lock.legalHold, true);
    assert.equal(lock.until, null);
    assert.equal(lock.mode, null);
    assert.ok(lock.objects.every((o: { legalHold: boolean }) => o.legalHold));

    const released = await cli("backups", "release", ids.held!, "-p", "held");
    assert.equal(released.code, 0, released.stderr);
    const after = await cli("verify", ids.held!, "-p", "held");
    assert.equal(
      protectionLine(after.stdout),
      "  protection: unlocked: not locked: anyone holding the store's keys can delete it",
    );
  });

  test("an unlocked backup: said plainly, in text and JSON", async () => {
    const v = await cli("verify", ids.open!, "-p", "open");
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(
      protectionLine(v.stdout),
      "  protection: unlocked: not locked: anyone holding the store's keys can delete it",
    );
    const json = await cli("verify", ids.open!, "-p", "open", "--json");
    const lock = json.json!.value.lock;
    assert.equal(lock.status, "unlocked");
    assert.equal(lock.until, null);
    assert.equal(lock.legalHold, false);
    assert.equal(lock.objects.length, 3);
    assert.ok(
      lock.objects.every((o: { mode: string | null; retainUntil: string | null }) => !o.mode && !o.retainUntil),
    );
  });
});
