import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startKeyring } from "../../harness/keyring.ts";
import { deleteKeychainSecret, setKeychainSecret } from "../../../src/main/secrets/keychain.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { forgetAllSecrets, redactText } from "../../../src/main/secrets/redact.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";

const started = await startKeyring();
const harness = "skip" in started ? undefined : started;
after(() => harness?.stop());

describe(
  "resolving keychain: references against the real keychain",
  { skip: "skip" in started ? started.skip : false },
  () => {
    test("keychain:NAME resolves to the stored value, which is then redacted everywhere", async () => {
      const value = "kc-value-9d2e7b";
      await setKeychainSecret("clinic-db", value);
      forgetAllSecrets();
      assert.equal(await resolveSecret("keychain:clinic-db"), value);
      assert.equal(redactText(`password is ${value}!`), "password is [REDACTED]!");
      await deleteKeychainSecret("clinic-db");
    });

    test("keychain: and env: references side by side", async () => {
      await setKeychainSecret("s3-secret", "kc-s3-secret-value");
      const env = { S3_KEY_ID: "AKIAEXAMPLE" };
      assert.deepEqual(
        await Promise.all([resolveSecret("keychain:s3-secret", env), resolveSecret("env:S3_KEY_ID", env)]),
        ["kc-s3-secret-value", "AKIAEXAMPLE"],
      );
      await deleteKeychainSecret("s3-secret");
    });

    test("a missing keychain entry names the reference and says how to set it", async () => {
      await assert.rejects(resolveSecret("keychain:never-stored"), (e: unknown) => {
        assert.ok(e instanceof LifeboatError);
        assert.equal(e.code, "SECRET_MISSING");
        assert.match(e.message, /"keychain:never-stored"/);
        assert.match(e.message, /no entry "never-stored" for service "lifeboat"/);
        assert.match(e.hint ?? "", /lifeboat secret set never-stored/);
        return true;
      });
    });
  },
);
