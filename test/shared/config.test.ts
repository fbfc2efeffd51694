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
