import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getProfile,
  loadConfig,
  removeProfile,
  saveConfig,
  upsertProfile,
} from "../../../src/main/config/config-store.ts";
import { ConfigFile, type ProfileInput } from "../../../src/shared/config.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";

const root = await mkdtemp(join(tmpdir(), "lifeboat-config-test-"));
after(() => rm(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `case-${++n}`, "lifeboat", "config.json");

const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const profile = (name: string, password = "keychain:clinic-db"): ProfileInput => ({
  name,
  database: { host: "db.example", database: "app", user: "backup", password },
  storage: { kind: "folder", path: "/mnt/usb" },
  encryption: { recipients: [RECIPIENT] },
});

// For writing files that break the schema on purpose.
const loose = (p: ProfileInput) => p as unknown as Record<string, Record<string, unknown>>;

async function rejectsWith(p: Promise<unknown>, code: string, check: (e: LifeboatError) => void = () => {}) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof LifeboatError, String(e));
    assert.equal(e.code, code, e.message);
    check(e);
    return true;
  });
}

async function writeRaw(value: unknown): Promise<string> {
  const path = fresh();
  await saveConfig(path, ConfigFile.parse({}));
  await writeFile(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

test("a missing file is an empty config", async () => {
  assert.deepEqual(await loadConfig(join(root, "nope", "config.json")), { version: 1, profiles: [] });
});

test(
  "saveConfig writes 0600 in a 0700 folder, atomically, and loadConfig reads it back",
  { skip: process.platform === "win32" && "POSIX modes" },
  async () => {
    const path = fresh();
    const cfg = ConfigFile.parse({ profiles: [profile("clinic")] });
    await saveConfig(path, cfg);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(path, ".."))).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(join(path, "..")), ["config.json"], "no temporary file is left behind");
    assert.deepEqual(await loadConfig(path), cfg);
    // Overwriting keeps the mode even if the old file had been loosened.
    const { chmod } = await import("node:fs/promises");
    await chmod(path, 0o644);
    await saveConfig(path, cfg);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  },
);

test("saveConfig refuses an invalid config and leaves the old file alone", async () => {
  const path = fresh();
  await saveConfig(path, ConfigFile.parse({ profiles: [profile("clinic")] }));
  const before = await readFile(path, "utf8");
  const bad = { version: 1, profiles: [profile("clinic", "Hunter2Literal")] } as unknown as ConfigFile;
  await rejectsWith(saveConfig(path, bad), "CONFIG_LITERAL_SECRET");
  assert.equal(await readFile(path, "utf8"), before);
});

test("invalid JSON: CONFIG_INVALID with line and column, and no text from the file", async () => {
  const path = await writeRaw(
    '{\n  "version": 1,\n  "profiles": [ { "name": "x", "database": { "password": Hunter2Unquoted } } ]\n}',
  );
  await rejectsWith(loadConfig(path), "CONFIG_INVALID", (e) => {
    assert.match(e.message, /is not valid JSON at line 3, column 58/);
    assert.ok(e.message.includes(path));
    assert.doesNotMatch(JSON.stringify(e.toInfo()), /Hunter2/);
    assert.deepEqual([e.details?.line, e.details?.column], [3, 58]);
  });
});

test("schema errors list every issue by path", async () => {
  const p = profile("clinic") as Record<string, unknown>;
  const path = await writeRaw({
    profiles: [
      { ...p, database: { host: "h", database: "d", user: "u", port: "5432" } },
      { ...p, name: "Bad Name" },
    ],
  });
  await rejectsWith(loadConfig(path), "CONFIG_INVALID", (e) => {
    assert.match(e.message, /- profiles\[0\]\.database\.port: /);
    assert.match(e.message, /- profiles\[1\]\.name: use lower-case letters/);
  });
});

test("a literal secret is refused: the field is named, the value is not, and references are explained", async () => {
  const path = await writeRaw({ profiles: [profile("clinic", "Hunter2Literal")] });
  await rejectsWith(loadConfig(path), "CONFIG_LITERAL_SECRET", (e) => {
    assert.match(e.message, /profiles\[0\]\.database\.password/);
    assert.doesNotMatch(JSON.stringify(e.toInfo()), /Hunter2Literal/);
    assert.match(e.hint ?? "", /"keychain:NAME"/);
    assert.match(e.hint ?? "", /"env:VAR"/);
    assert.match(e.hint ?? "", /lifeboat secret set clinic-password/);
  });
});

test("a secret smuggled in under an unknown or mistyped key is refused as a secret, not just as an unknown key", async () => {
  for (const [where, field] of [
    ["database", "passwd"],
    ["storage", "secretKey"],
    ["database", "authToken"],
  ] as const) {
    const p = loose(profile("clinic"));
    const path = await writeRaw({ profiles: [{ ...p, [where]: { ...p[where], [field]: "Smuggled-Value-1" } }] });
    await rejectsWith(loadConfig(path), "CONFIG_LITERAL_SECRET", (e) => {
      assert.match(e.message, new RegExp(`profiles\\[0\\]\\.${where}\\.${field}`));
      assert.doesNotMatch(JSON.stringify(e.toInfo()), /Smuggled-Value-1/);
    });
  }
});

test("secrets recognisable by shape are refused in any field", async () => {
  const p = loose(profile("clinic"));
  const inUrl = await writeRaw({
    profiles: [{ ...p, database: { ...p.database, host: "postgres://app:UrlPw99@db/app" } }],
  });
  await rejectsWith(loadConfig(inUrl), "CONFIG_LITERAL_SECRET", (e) => {
    assert.match(e.message, /profiles\[0\]\.database\.host/);
    assert.doesNotMatch(JSON.stringify(e.toInfo()), /UrlPw99/);
  });
  const ageKey = `AGE-SECRET-KEY-1${"Q".repeat(58)}`;
  const inNote = await writeRaw({ profiles: [{ ...p, encryption: { ...p.encryption, note: ageKey } }] });
  await rejectsWith(loadConfig(inNote), "CONFIG_LITERAL_SECRET", (e) => {
    assert.match(e.message, /an age private key/);
    assert.doesNotMatch(JSON.stringify(e.toInfo()), /AGE-SECRET-KEY-1Q/);
  });
});

test("references, and identifiers that merely look secret-ish, are accepted", async () => {
  const p = profile("clinic", "env:CLINIC_PW") as Record<string, unknown>;
  const storage = {
    kind: "s3",
    bucket: "clinic-backups",
    accessKeyId: "keychain:clinic-s3-id",
    secretAccessKey: "env:CLINIC_S3_SECRET",
    serverSideEncryption: "aws:kms",
    sseKmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd",
  };
  const path = await writeRaw({ profiles: [{ ...p, storage }] });
  const cfg = await loadConfig(path);
  assert.equal(cfg.profiles[0]!.database.password, "env:CLINIC_PW");
});

test("duplicate profile names are refused", async () => {
  const path = await writeRaw({ profiles: [profile("clinic"), profile("clinic")] });
  await rejectsWith(loadConfig(path), "CONFIG_INVALID", (e) => assert.match(e.message, /two profiles named "clinic"/));
});

test("upsertProfile adds, then replaces by name; removeProfile removes", async () => {
  const path = fresh();
  await upsertProfile(path, profile("clinic"));
  await upsertProfile(path, profile("billing"));
  const replaced = await upsertProfile(path, {
    ...profile("clinic"),
    database: { host: "db2.example", database: "app", user: "backup" },
  });
  assert.equal(replaced.database.host, "db2.example");
  let cfg = await loadConfig(path);
  assert.deepEqual(
    cfg.profiles.map((p) => [p.name, p.database.host]),
    [
      ["clinic", "db2.example"],
      ["billing", "db.example"],
    ],
  );
  assert.equal(await removeProfile(path, "billing"), true);
  assert.equal(await removeProfile(path, "billing"), false);
  cfg = await loadConfig(path);
  assert.deepEqual(
    cfg.profiles.map((p) => p.name),
    ["clinic"],
  );
});

test("upsertProfile refuses a literal secret before touching the file", async () => {
  const path = fresh();
  await rejectsWith(upsertProfile(path, profile("clinic", "Hunter2Literal")), "CONFIG_LITERAL_SECRET", (e) => {
    assert.match(e.message, /profile\.database\.password/);
    assert.doesNotMatch(JSON.stringify(e.toInfo()), /Hunter2Literal/);
  });
  await assert.rejects(stat(path), { code: "ENOENT" });
});

test("getProfile: the only profile without a name; otherwise by name, listing the names when missing", () => {
  const one = ConfigFile.parse({ profiles: [profile("clinic")] });
  assert.equal(getProfile(one).name, "clinic");
  assert.equal(getProfile(one, "clinic").name, "clinic");

  const two = ConfigFile.parse({ profiles: [profile("clinic"), profile("billing")] });
  assert.equal(getProfile(two, "billing").name, "billing");
  const notFound = (cfg: ConfigFile, name: string | undefined, message: RegExp) =>
    assert.throws(
      () => getProfile(cfg, name),
      (e: unknown) => e instanceof LifeboatError && e.code === "PROFILE_NOT_FOUND" && message.test(e.message),
    );
  notFound(two, undefined, /Several profiles.*Profiles: clinic, billing/);
  notFound(two, "payroll", /no profile named "payroll".*Profiles: clinic, billing/);
  notFound(ConfigFile.parse({}), undefined, /No profile is configured/);
  notFound(one, "payroll", /Profiles: clinic/);
});
