import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startKeyring } from "../../harness/keyring.ts";
import { getKeychainSecret, keychainStatus, setKeychainSecret } from "../../../src/main/secrets/keychain.ts";

// Its own keyring: a locked login collection cannot be unlocked again without a prompter.
const started = await startKeyring();
const harness = "skip" in started ? undefined : started;
after(() => harness?.stop());

test(
  "a locked keychain is reported as locked, with what to do",
  { skip: "skip" in started ? started.skip : false },
  async () => {
    await setKeychainSecret("locked-entry", "value-before-lock");
    const lock = spawnSync(
      "dbus-send",
      [
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.secrets",
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service.Lock",
        "array:objpath:/org/freedesktop/secrets/collection/login",
      ],
      { env: harness!.env, encoding: "utf8" },
    );
    assert.equal(lock.status, 0, lock.stderr);

    // The service still answers, so the keychain counts as available; reading the locked item is what fails.
    assert.equal((await keychainStatus()).available, true);
    await assert.rejects(getKeychainSecret("locked-entry"), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, "KEYCHAIN_UNAVAILABLE");
      assert.match(e.message, /Could not read "keychain:locked-entry" from the OS keychain/);
      assert.match(e.hint ?? "", /The keychain is locked/);
      assert.doesNotMatch(`${e.message} ${e.hint}`, /value-before-lock/);
      return true;
    });
  },
);
