import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { RETENTION_PRESETS, resolveRetention } from "../../../src/shared/retention-policy.ts";

const { recipient } = generateIdentity();
const base = {
  name: "clinic",
  database: { host: "db.example", database: "clinic", user: "u", password: "env:PW" },
  storage: { kind: "s3", bucket: "clinic-backups", accessKeyId: "env:K", secretAccessKey: "env:S" },
  encryption: { recipients: [recipient] },
};

describe("retention, Object Lock, replica and escrow rules in a profile", () => {
  test("Object Lock without a retention policy is refused: the lock comes from the tier", () => {
    assert.throws(
      () => validateProfile({ ...base, objectLock: { mode: "COMPLIANCE" } }),
      (e: any) => e.code === "CONFIG_INVALID" && /objectLock needs a retention policy/.test(e.message),
    );
  });

  test("Object Lock on a folder, a replica named primary, two replicas of one name: each refused, all at once", () => {
    assert.throws(
      () =>
        validateProfile({
          ...base,
          retention: "clinical",
          replicas: [
            { name: "primary", storage: { kind: "folder", path: "/mnt/usb" } },
            { name: "usb", storage: { kind: "folder", path: "/mnt/usb" }, objectLock: { mode: "COMPLIANCE" } },
            { name: "usb", storage: { kind: "folder", path: "/mnt/usb2" } },
          ],
        }),
      (e: any) => {
        assert.equal(e.code, "CONFIG_INVALID");
        assert.match(e.message, /has 3 problems/);
        assert.match(e.message, /"primary" names the profile's own storage/);
        assert.match(e.message, /replica "usb" sets objectLock but is a folder/);
        assert.match(e.message, /two replicas are named "usb"/);
        return true;
      },
    );
  });

  test("an escrow key that is also an everyday recipient is refused", () => {
    assert.throws(
      () =>
        validateProfile({ ...base, encryption: { recipients: [recipient], escrow: [{ recipient, label: "safe" }] } }),
      /an escrow key is one kept off this machine/,
    );
  });

  test("the clinical preset keeps one backup a month for 2,555 days; a policy of its own is taken as written", () => {
    const p = validateProfile({ ...base, retention: "clinical", objectLock: {} });
    assert.equal(p.objectLock?.mode, "COMPLIANCE", "COMPLIANCE unless told otherwise");
    assert.deepEqual(resolveRetention(p.retention!), RETENTION_PRESETS.clinical);
    assert.deepEqual(resolveRetention(p.retention!).monthly, { days: 2555 });
    const own = validateProfile({ ...base, retention: { keepLast: 3, monthly: { days: 400 } } });
    assert.deepEqual(resolveRetention(own.retention!), {
      keepLast: 3,
      daily: 7,
      weekly: 4,
      monthly: { days: 400 },
      yearly: 3,
    });
  });
});
