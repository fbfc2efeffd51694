// The profile stored beside each backup (so the setup survives the laptop) holds references only: a profile holding a
// secret value is refused before anything is written, and a known secret value in any string is scrubbed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeConfigSnapshot } from "../../../src/main/backup/config-snapshot.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { forgetAllSecrets, rememberSecret } from "../../../src/main/secrets/redact.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import type { LifeboatError } from "../../../src/shared/errors.ts";
import type { Profile } from "../../../src/shared/config.ts";

const RECIPIENT = "age1ww6lssmnrfq9szsshmmlqud0xvm96h06nrgv7mqlzwm3t43knqwst5ym47";

function profile(over: Record<string, unknown> = {}): Profile {
  return validateProfile({
    name: "clinic",
    database: { host: "db.example", database: "clinic", user: "u", password: "keychain:clinic-db" },
    storage: { kind: "folder", path: "/tmp/x" },
    encryption: { recipients: [RECIPIENT] },
    ...over,
  });
}

test("the stored profile keeps references, never a value, and is refused when it holds one", async () => {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-config-snapshot-"));
  try {
    const store = new FolderStore(dir);
    const secret = "s3cr3t-Value-Of-The-Database";
    rememberSecret(secret);
    // A value the operator pasted where a secret does not belong (a label): scrubbed on the way out.
    const p = { ...profile(), database: { ...profile().database, user: `svc-${secret}` } } as Profile;
    const { key, sha256 } = await storeConfigSnapshot(store, p, "clinic/20260301T030000Z-00aa", new Date(0));
    const body = await readFile(join(dir, ...key.split("/")), "utf8");
    assert.ok(!body.includes(secret), body);
    assert.match(body, /"password": "keychain:clinic-db"/);
    assert.equal(JSON.parse(body).format, "lifeboat-profile/1");
    assert.match(sha256, /^[0-9a-f]{64}$/);

    // A literal secret (a URL with a password) is refused, and nothing is written.
    const literal = {
      ...profile(),
      storage: { kind: "s3", bucket: "b", endpoint: "https://key:pw@s3.example" },
    } as unknown as Profile;
    await assert.rejects(
      storeConfigSnapshot(store, literal, "clinic/20260302T030000Z-00aa", new Date(0)),
      (e: LifeboatError) => e.code === "CONFIG_LITERAL_SECRET" && /keychain: or env: reference/.test(e.hint ?? ""),
    );
    assert.deepEqual(await readdir(join(dir, "clinic")), ["20260301T030000Z-00aa"]);
  } finally {
    forgetAllSecrets();
    await rm(dir, { recursive: true, force: true });
  }
});
