import { test } from "node:test";
import assert from "node:assert/strict";
import { Profile } from "../../src/shared/config.ts";

const base = {
  name: "clinic",
  database: { host: "db.example", database: "app", user: "backup", password: "keychain:clinic-db" },
  storage: { kind: "folder", path: "/mnt/usb" },
  encryption: { recipients: ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"] },
};

test("a profile with references parses", () => {
  const p = Profile.parse(base);
  assert.equal(p.database.port, 5432);
  assert.equal(p.database.sslmode, "require");
});

test("a literal password is refused with an explanation of references", () => {
  const r = Profile.safeParse({ ...base, database: { ...base.database, password: "hunter2" } });
  assert.equal(r.success, false);
  assert.match(r.error!.issues[0]!.message, /keychain:NAME/);
  assert.doesNotMatch(JSON.stringify(r.error!.issues.map((i) => i.message)), /hunter2/);
});

test("a schedule that cannot be parsed is refused by the profile schema, naming the field", () => {
  const r = Profile.safeParse({ ...base, schedule: { backup: "daily at 25:00" } });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ["schedule", "backup", "at"]);
  assert.match(r.error!.issues[0]!.message, /not a time of day/);
  const tz = Profile.safeParse({ ...base, schedule: { timezone: "Mars/Olympus", backup: "daily" } });
  assert.match(tz.error!.issues[0]!.message, /IANA/);
  const neon = Profile.safeParse({ ...base, schedule: { "neon-test": "weekly on monday at 09:00" } });
  assert.match(neon.error!.issues[0]!.message, /neon section/);
});

test("a schedule parses from its short form, with retry defaults", () => {
  const p = Profile.parse({
    ...base,
    schedule: { backup: "daily at 02:00", drill: { at: "quarterly", heartbeat: "env:HC_DRILL" } },
  });
  assert.deepEqual(p.schedule!.backup, { at: "daily at 02:00" });
  assert.equal(p.schedule!.drill!.heartbeat, "env:HC_DRILL");
  assert.deepEqual(p.schedule!.retry, { attempts: 3, backoffMinutes: 5, windowMinutes: 120 });
  assert.equal(p.monitoring.warnAfterCadences, 1.5);
  const literal = Profile.safeParse({ ...base, schedule: { backup: { at: "daily", heartbeat: "https://hc/x" } } });
  assert.equal(literal.success, false, "a heartbeat URL is a secret reference, not a literal");
});
