// The retention, Object Lock, replica, attachment and key commands as the README shows them, through the real CLI
// entry (parse argv, invoke the channel, print), against Ceph RGW, a folder replica and the OS keychain.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import type { BackupStore } from "../../../src/main/storage/backup-store.ts";
import { openStore } from "../../../src/main/storage/open-store.ts";
import { setKeychainSecret } from "../../../src/main/secrets/keychain.ts";
import { startKeyring, type KeyringHarness } from "../../harness/keyring.ts";
import { runCli } from "../../harness/cli.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";

let keyring: KeyringHarness | undefined;
let skip = rgwSkipReason();
before(async () => {
  const k = await startKeyring();
  if ("skip" in k) skip = k.skip;
  else keyring = k;
});
after(async () => keyring?.stop());

describe(
  "lifeboat prune, backups hold|release|locks, drill ransomware|decrypt, replicate, attachments, keys",
  { skip },
  () => {
    const env = useProtectionEnv();
    let config = "";
    let id = "";
    const cli = (...args: string[]) => runCli(["--config", config, ...args], { env: env().env });

    test("setup: a profile that locks, keeps one backup a month for seven years, copies to a folder and backs up files", async () => {
      await env().rgw.createBucket("cli-backups", { objectLock: true });
      await env().rgw.createBucket("cli-app");
      const c = env().rgw.client();
      for (let i = 0; i < 20; i++)
        await c.send(new PutObjectCommand({ Bucket: "cli-app", Key: `uploads/scan-${i}.png`, Body: `scan ${i}` }));
      const usb = join(env().dir, "usb");
      await mkdir(usb);
      await setKeychainSecret("cli-age-identity", env().identity);
      const profile = {
        ...env().profile(env().s3("cli-backups"), {
          retention: { keepLast: 1, daily: 7, weekly: 4, monthly: { days: 2555 }, yearly: 0 },
          objectLock: { mode: "COMPLIANCE" },
          replicas: [{ name: "usb", storage: { kind: "folder", path: usb } }],
          attachments: [{ name: "uploads", source: env().s3("cli-app", "uploads") }],
        }),
      };
      profile.encryption = { ...profile.encryption, identity: "keychain:cli-age-identity" };
      config = join(env().dir, "cli-config.json");
      await writeFile(config, JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
    });

    test("lifeboat backup: committed, locked per its tier, copied to the replica; lifeboat backups shows where", async () => {
      const r = await cli("backup");
      assert.equal(r.code, 0, r.stderr);
      id = /backup (\S+) committed/.exec(r.stdout)![1]!;
      assert.match(r.stdout, /retention: daily \S+, weekly \S+, monthly \S+/);
      assert.match(r.stdout, /locked COMPLIANCE until 20\d\d-/);
      assert.match(r.stdout, /replica usb \(folder:.*\): 1 copied, 0 already there/);
      const list = await cli("backups");
      assert.match(list.stdout, /ID\s+FINISHED\s+STORED\s+TABLES\s+ROWS\s+ON/);
      assert.match(list.stdout, new RegExp(`${id} .* primary,usb`));
    });

    test("lifeboat backups locks, hold and release", async () => {
      const locks = await cli("backups", "locks", id);
      assert.equal(locks.code, 0, locks.stderr);
      assert.match(locks.stdout, /LOCKED: locked \(COMPLIANCE\) until .* on all 3 objects/);
      const held = await cli("backups", "hold", id);
      assert.match(held.stdout, /legal hold ON/);
      const released = await cli("backups", "release", id, "--json");
      assert.equal(released.json!.value.legalHold, false);
      const folder = await cli("backups", "hold", id, "--store", "usb");
      assert.equal(folder.code, 3);
      assert.match(folder.stderr, /is a folder: it cannot hold a backup against deletion/);
    });

    test("lifeboat verify --store usb, and lifeboat prune (refused until enough backups are proven restorable)", async () => {
      const unverified = await cli("prune", "--apply", "--store", "usb");
      assert.equal(unverified.code, 8, "nothing on the replica is proven restorable yet: refused, exit 8");
      assert.match(unverified.stdout, /REFUSED: only 0 backup\(s\) are proven restorable/);
      const v = await cli("verify", id, "--store", "usb");
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, /read from replica "usb" \(folder:/);
      await cli("verify", id);
      const dry = await cli("prune");
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /prune \(dry run: nothing deleted; --apply deletes\)/);
      assert.match(dry.stdout, new RegExp(`${id}\\s+the newest backup; the newest verified backup`));
      const applied = await cli("prune", "--apply");
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    });

    test("lifeboat drill ransomware: the locked bucket refuses; the folder replica fails with the reason (exit 6)", async () => {
      const locked = await cli("drill", "ransomware");
      assert.equal(locked.code, 0, locked.stdout);
      assert.match(locked.stdout, /^PASSED: ransomware drill on backup/);
      const folder = await cli("drill", "ransomware", "--store", "usb");
      assert.equal(folder.code, 6);
      assert.match(folder.stdout, /why it failed: replica "usb" \(folder:.*\) is a folder/);
    });

    test("lifeboat replicate, attachments run|runs|restore|verify", async () => {
      const rep = await cli("replicate");
      assert.equal(rep.code, 0, rep.stderr);
      assert.match(rep.stdout, /replica usb \(folder:.*\): 0 copied, 1 already there/);
      const run = await cli("attachments", "run");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /copied 20 changed or new file\(s\)/);
      const runs = await cli("attachments", "runs");
      assert.match(runs.stdout, /uploads\s+\S+\s+\S+\s+20\s/);
      const restored = await cli("attachments", "restore", "--set", "uploads", "--to-prefix", "uploads-restored");
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /restored into s3:\/\/cli-app\/uploads-restored\/.* 20 files/);
      const verified = await cli("attachments", "verify", "--set", "uploads");
      assert.match(verified.stdout, /^verified: set uploads as of run \S+, 20 files/);
      const nowhere = await cli("attachments", "restore", "--set", "uploads");
      assert.equal(nowhere.code, 2);
    });

    test("lifeboat attachments restore --to-folder and --to-source, as the README shows them: object for object", async () => {
      const source = await openStore(env().s3("cli-app", "uploads"), (r) => resolveSecret(r, env().env));
      const contents = async (s: BackupStore) => {
        const out = new Map<string, string>();
        for (const o of await s.list("")) out.set(o.key, (await s.getSmall(o.key)).toString("utf8"));
        return out;
      };
      const original = await contents(source);
      assert.equal(original.size, 20);
      const runs = await cli("attachments", "runs", "--json");
      const first = runs.json!.value.runs[0].id as string;

      // README: mkdir /mnt/usb/uploads-restored; lifeboat attachments restore --set uploads --to-folder /mnt/usb/uploads-restored
      const folder = join(env().dir, "mnt-usb", "uploads-restored");
      const missing = await cli("attachments", "restore", "--set", "uploads", "--to-folder", folder);
      assert.equal(missing.code, 4, "a folder that does not exist reads as a drive that is not mounted");
      assert.match(missing.stderr, /does not exist — is the drive mounted\?/);
      await mkdir(folder, { recursive: true });
      const toFolder = await cli("attachments", "restore", "--set", "uploads", "--to-folder", folder);
      assert.equal(toFolder.code, 0, toFolder.stderr);
      assert.match(
        toFolder.stdout,
        new RegExp(`^restored into folder:${folder}: set uploads as of run ${first}, 20 files`),
      );
      assert.deepEqual(await contents(await openStore({ kind: "folder", path: folder }, async () => "")), original);

      // The application's files are damaged: one overwritten, one deleted, one added; a second run records that.
      const c = env().rgw.client();
      await c.send(
        new PutObjectCommand({ Bucket: "cli-app", Key: "uploads/scan-1.png", Body: "encrypted by ransomware" }),
      );
      await c.send(new DeleteObjectCommand({ Bucket: "cli-app", Key: "uploads/scan-2.png" }));
      await c.send(new PutObjectCommand({ Bucket: "cli-app", Key: "uploads/scan-new.png", Body: "a new scan" }));
      const second = await cli("attachments", "run");
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /copied 2 changed or new file\(s\) .*, 18 unchanged, 1 gone from the source/);

      // README: lifeboat attachments restore --set uploads --run 20261207T120500Z-8c1d --to-source
      const toSource = await cli("attachments", "restore", "--set", "uploads", "--run", first, "--to-source");
      assert.equal(toSource.code, 0, toSource.stderr);
      assert.match(
        toSource.stdout,
        new RegExp(`^restored into s3://cli-app/uploads/ at \\S+: set uploads as of run ${first}, 20 files`),
      );
      const now = await contents(source);
      // Every file of the first run is back, byte for byte; the file added since is left alone.
      assert.deepEqual(new Map([...now].filter(([k]) => original.has(k))), original);
      assert.deepEqual(
        [...now.keys()].filter((k) => !original.has(k)),
        ["scan-new.png"],
      );
      assert.equal(now.get("scan-new.png"), "a new scan");
    });

    test("lifeboat keys escrow, keys check, drill decrypt, keys rotate", async () => {
      const out = join(env().dir, "escrow.txt");
      const escrow = await cli("keys", "escrow", "--label", "printed, in the office safe", "--out", out);
      assert.equal(escrow.code, 0, escrow.stderr);
      assert.match(escrow.stdout, /its identity is in .*escrow\.txt: print it/);
      assert.equal(((await import("node:fs")).statSync(out).mode & 0o777).toString(8), "600");
      assert.ok(!escrow.stdout.includes("AGE-SECRET-KEY"), "the identity is in the file, not on the screen");
      const second = await cli("backup");
      assert.equal(second.code, 0, second.stderr);
      const check = await cli("keys", "check");
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /current \(keychain:cli-age-identity\)\s+reachable here/);
      assert.match(check.stdout, /escrow "printed, in the office safe"\s+not on this machine/);
      const drill = await cli("drill", "decrypt", "--identity-file", out);
      // The first backup predates the escrow key: the drill says so and fails (exit 6).
      assert.equal(drill.code, 6, drill.stdout);
      assert.match(drill.stdout, new RegExp(`${id}: FAILED: not encrypted to this escrow key`));
      const rotate = await cli("keys", "rotate");
      assert.equal(rotate.code, 0, rotate.stderr);
      assert.match(rotate.stdout, /retired: age1/);
      const saved = JSON.parse(await readFile(config, "utf8")).profiles[0].encryption;
      assert.match(saved.identity, /^keychain:lifeboat-age-identity-\d{8}T\d{6}Z$/);
      assert.equal(saved.retired[0].identity, "keychain:cli-age-identity");
    });

    test("lifeboat profile test: versioning and Object Lock per store, the folder replica's with what to change", async () => {
      const r = await cli("profile", "test", "--json");
      const checks = r.json!.value.checks as { name: string; ok: boolean; warning?: boolean; detail: string }[];
      assert.equal(checks.find((c) => c.name === "object lock")?.ok, true);
      assert.match(
        checks.find((c) => c.name === "object lock")!.detail,
        /every backup is locked until its retention tier/,
      );
      const usb = checks.find((c) => c.name === "object lock (replica usb)")!;
      assert.equal(usb.warning, true);
      assert.match(usb.detail, /a folder cannot refuse a delete/);
    });
  },
);
