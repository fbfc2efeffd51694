import { test } from "node:test";
import assert from "node:assert/strict";
import { Profile } from "../../../../src/shared/config.ts";
import { generateIdentity } from "../../../../src/main/crypto/age-keys.ts";
import {
  emptyForm,
  fromProfile,
  ProfileForm,
  toProfile,
} from "../../../../src/renderer/src/screens/settings/profile-form-schema.ts";

const recipient = generateIdentity().recipient;
const stored = Profile.parse({
  name: "prod",
  database: {
    host: "ep-quiet.us-east-2.aws.neon.tech",
    database: "neondb",
    user: "neondb_owner",
    password: "keychain:prod-db",
  },
  storage: {
    kind: "s3",
    bucket: "clinic-backups",
    prefix: "nightly",
    accessKeyId: "env:AWS_ACCESS_KEY_ID",
    secretAccessKey: "env:AWS_SECRET_ACCESS_KEY",
  },
  encryption: { recipients: [recipient], identity: "keychain:age-identity" },
  tools: { pgBinDir: "/usr/lib/postgresql/17/bin" },
  neon: { projectId: "quiet-lake-123456", apiKey: "keychain:neon-api" },
  contacts: [{ role: "Database Admin", name: "Amal", contact: "+1 555 0100" }],
  escalation: ["Page the DBA", "CTO if critical"],
});

test("a profile survives the form unchanged, including what the form does not edit", () => {
  const form = fromProfile(stored);
  assert.equal(ProfileForm.safeParse(form).success, true);
  assert.deepEqual(Profile.parse(toProfile(form, stored)), stored);
});

test("a pasted password in a secret field is refused by the form, before it could be saved", () => {
  const form = { ...fromProfile(stored), db: { ...fromProfile(stored).db, password: "hunter2" } };
  const r = ProfileForm.safeParse(form);
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ["db", "password"]);
  assert.match(r.error!.issues[0]!.message, /literal value, not a secret reference/);
});

test("recipients, storage and Neon are checked where the operator typed them", () => {
  const base = { ...emptyForm(), name: "x", db: { ...emptyForm().db, host: "h", database: "d", user: "u" } };
  const paths = (v: unknown) => (ProfileForm.safeParse(v).error?.issues ?? []).map((i) => i.path.join("."));
  assert.deepEqual(paths({ ...base, recipients: "not-a-key" }).sort(), ["recipients", "s3.bucket"]);
  assert.deepEqual(paths({ ...base, recipients: recipient, storageKind: "folder" }), ["folderPath"]);
  assert.deepEqual(
    paths({ ...base, recipients: recipient, storageKind: "folder", folderPath: "/b", neonEnabled: true }).sort(),
    ["neon.apiKey", "neon.projectId"],
  );
  assert.deepEqual(paths({ ...base, recipients: `${recipient}\n\n`, storageKind: "folder", folderPath: "/b" }), []);
});

test("turning Neon off removes the neon section; empty optional fields are left out", () => {
  const form = {
    ...fromProfile(stored),
    neonEnabled: false,
    identity: "",
    s3: { ...fromProfile(stored).s3, endpoint: "" },
  };
  const saved = Profile.parse(toProfile(form, stored));
  assert.equal(saved.neon, undefined);
  assert.equal(saved.encryption.identity, undefined);
  assert.equal(saved.storage.kind === "s3" && saved.storage.endpoint, undefined);
});

test("the schedule and monitoring fields: round trip, and a schedule that cannot be parsed is refused with the engine's words", () => {
  const scheduled = Profile.parse({
    ...stored,
    schedule: {
      timezone: "Europe/Berlin",
      backup: { at: "daily at 02:00", heartbeat: "env:HC_BACKUP" },
      drill: "quarterly",
      retry: { attempts: 5 },
    },
    monitoring: { webhook: "keychain:slack-webhook", quotaBytes: 2 * 2 ** 30 },
  });
  const form = fromProfile(scheduled);
  assert.equal(form.schedule.backup, "daily at 02:00");
  assert.equal(form.monitoring.quotaGiB, "2");
  assert.deepEqual(Profile.parse(toProfile(form, scheduled)), scheduled);
  const bad = ProfileForm.safeParse({ ...form, schedule: { ...form.schedule, verify: "weekly on funday" } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues[0]!.path, ["schedule", "verify"]);
  assert.match(bad.error!.issues[0]!.message, /not a day of the week/);
  const cleared = toProfile({ ...form, schedule: { ...emptyForm().schedule } }, scheduled);
  assert.equal(Profile.parse(cleared).schedule, undefined, "no job left: no schedule");
});
