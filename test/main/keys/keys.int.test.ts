// Keys that still open it in year seven: keys check over real backups (age headers read from the store), rotation with
// the old identity kept on record, escrow keys and the decrypt drill, and a backup whose only identity is gone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runBackup } from "../../../src/main/backup/run-backup.ts";
import { loadConfig } from "../../../src/main/config/config-store.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { checkKeys } from "../../../src/main/keys/check-keys.ts";
import { escrowDrill } from "../../../src/main/keys/decrypt-drill.ts";
import { addEscrow, rotateKey } from "../../../src/main/keys/manage-keys.ts";
import { setKeychainSecret } from "../../../src/main/secrets/keychain.ts";
import { verifyBackup } from "../../../src/main/verify/verify-backup.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { startKeyring, type KeyringHarness } from "../../harness/keyring.ts";
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

describe("keys that still open the backups", { skip }, () => {
  const env = useProtectionEnv();
  let n = 0;
  /** A profile backing up to its own folder, written to its own config file (rotation and escrow rewrite it). */
  async function setup(extra: Partial<Profile["encryption"]> = {}) {
    const dir = join(env().dir, `keys-${++n}`);
    await mkdir(join(dir, "store"), { recursive: true });
    const { identity, recipient } = generateIdentity();
    await setKeychainSecret(`keys-test-${n}`, identity);
    const profile = env().profile(
      { kind: "folder", path: join(dir, "store") },
      { encryption: { recipients: [recipient], identity: `keychain:keys-test-${n}`, ...extra } },
    );
    const configPath = join(dir, "config.json");
    await writeFile(configPath, JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
    const reload = async () => (await loadConfig(configPath)).profiles[0]!;
    return { profile, configPath, reload, recipient, dir };
  }

  test("a backup whose only recipient's identity is gone is reported, and check is not ok", async () => {
    const s = await setup();
    const lost = await runBackup(s.profile, env().ctx());
    // The key is replaced by hand, and the old identity is not recorded anywhere.
    const { identity, recipient } = generateIdentity();
    await setKeychainSecret("keys-test-replaced", identity);
    const now = {
      ...s.profile,
      encryption: { ...s.profile.encryption, recipients: [recipient], identity: "keychain:keys-test-replaced" },
    };
    const kept = await runBackup(now, env().ctx());
    const r = await checkKeys(now, env().ctx());
    assert.equal(r.ok, false);
    const row = r.backups.find((b) => b.id === lost.id)!;
    assert.equal(row.opensWith, null);
    assert.deepEqual(row.onRecord, []);
    assert.match(row.problem!, /no identity on record can open it: it was encrypted only to age1/);
    assert.match(
      r.warnings[0]!,
      new RegExp(`1 retained backup\\(s\\) can be opened by no identity on record: ${lost.id}`),
    );
    assert.equal(r.backups.find((b) => b.id === kept.id)!.opensWith, "current (keychain:keys-test-replaced)");
  });

  test("rotation: new backups go to the new key, old ones are listed with the retired identity they need", async () => {
    const s = await setup();
    const before = await runBackup(s.profile, env().ctx());
    const rotated = await rotateKey(s.profile, s.configPath, env().ctx());
    assert.equal(rotated.retired, s.recipient);
    const p = await s.reload();
    assert.deepEqual(p.encryption.recipients, [rotated.recipient]);
    assert.equal(p.encryption.identity, rotated.identityRef);
    assert.deepEqual(
      p.encryption.retired.map((r) => [r.recipient, r.identity]),
      [[s.recipient, s.profile.encryption.identity]],
    );
    const afterRotation = await runBackup(p, env().ctx());
    assert.deepEqual(afterRotation.encryption.recipients, [rotated.recipient]);

    const r = await checkKeys(p, env().ctx());
    assert.equal(r.ok, true, r.warnings.join("; "));
    assert.match(r.backups.find((b) => b.id === before.id)!.opensWith!, /^retired age1/);
    assert.equal(r.backups.find((b) => b.id === afterRotation.id)!.opensWith, `current (${rotated.identityRef})`);
    // The old backup still verifies: restore and verify use the retired identity where the current one cannot open.
    await verifyBackup(p, before.id, env().ctx());
    const journaled = (await env().journal.query({ kind: "keys.rotate" })).records;
    assert.equal(journaled.length, 1);
    assert.ok(!JSON.stringify(journaled).includes("AGE-SECRET-KEY"), "no identity in the journal");
  });

  test("escrow: every new backup is also encrypted to it; the decrypt drill opens them with it alone", async () => {
    const s = await setup();
    const out = join(s.dir, "escrow-identity.txt");
    const added = await addEscrow(s.profile, s.configPath, env().ctx(), { label: "printed, in the office safe", out });
    const escrowText = await readFile(out, "utf8");
    assert.match(escrowText, /^AGE-SECRET-KEY-1/m);
    const p = await s.reload();
    assert.deepEqual(
      p.encryption.escrow.map((e) => [e.recipient, e.label]),
      [[added.recipient, "printed, in the office safe"]],
    );
    assert.ok(!JSON.stringify(p).includes("AGE-SECRET-KEY"), "the config keeps the recipient only");
    const first = await runBackup(p, env().ctx());
    const second = await runBackup(p, env().ctx());
    assert.deepEqual(second.encryption.recipients, [s.recipient, added.recipient]);

    const drill = await escrowDrill(p, escrowText, env().ctx());
    assert.equal(drill.passed, true, JSON.stringify(drill.checked));
    assert.deepEqual(
      drill.checked.map((c) => c.id),
      [second.id, first.id],
    );
    const r = await checkKeys(p, env().ctx());
    assert.ok(r.backups.every((b) => b.onRecord.includes('escrow "printed, in the office safe"')));

    await assert.rejects(escrowDrill(p, generateIdentity().identity, env().ctx()), (e: any) => {
      assert.equal(e.code, "IDENTITY_WRONG");
      assert.match(e.message, /not an escrow key of profile "clinic"/);
      return true;
    });
  });

  test("a backup made before the escrow key existed fails the drill, saying why", async () => {
    const s = await setup();
    const old = await runBackup(s.profile, env().ctx());
    const { identity, recipient } = generateIdentity();
    await addEscrow(s.profile, s.configPath, env().ctx(), { label: "token", recipient });
    const p = await s.reload();
    await runBackup(p, env().ctx());
    const drill = await escrowDrill(p, identity, env().ctx());
    assert.equal(drill.passed, false);
    assert.match(drill.checked.find((c) => c.id === old.id)!.detail, /made before it was added/);
  });
});
