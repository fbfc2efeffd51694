import { test } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { practiceHome, sessionPlaces } from "../../../src/main/session/session-places.ts";

test("an explicit place wins over the environment, the environment over the per-user default", () => {
  const env = { LIFEBOAT_CONFIG: "/etc/lb/config.json", LIFEBOAT_JOURNAL_DIR: "/var/lb/journal" };
  const fromEnv = sessionPlaces({ env });
  assert.deepEqual(fromEnv, {
    configPath: "/etc/lb/config.json",
    journalDir: "/var/lb/journal",
    exportsDir: "/var/lb/exports",
  });
  const explicit = sessionPlaces({ env, configPath: "c.json", journalDir: "j", exportsDir: "e" });
  assert.deepEqual(explicit, { configPath: resolve("c.json"), journalDir: resolve("j"), exportsDir: resolve("e") });
  const defaults = sessionPlaces({ env: {} });
  assert.match(defaults.configPath, /lifeboat[/\\].*config\.json$/);
  assert.match(defaults.journalDir, /lifeboat[/\\].*journal$/);
});

test("a practice session lives beside its sandbox, whatever LIFEBOAT_JOURNAL_DIR and LIFEBOAT_CONFIG say", () => {
  const env = { LIFEBOAT_JOURNAL_DIR: "/var/lb/journal", LIFEBOAT_CONFIG: "/etc/lb/config.json" };
  const p = sessionPlaces({ env, sandbox: true, sandboxDir: "/srv/practice/sandbox" });
  assert.equal(p.practiceHome, "/srv/practice/sandbox-console");
  assert.equal(p.configPath, join(p.practiceHome, "config.json"));
  assert.equal(p.journalDir, join(p.practiceHome, "journal"));
  assert.equal(p.exportsDir, join(p.practiceHome, "exports"));
  const viaEnv = sessionPlaces({ env: { ...env, LIFEBOAT_SANDBOX_DIR: "/srv/other" }, sandbox: true });
  assert.equal(viaEnv.practiceHome, practiceHome("/srv/other"));
  assert.equal(viaEnv.journalDir, "/srv/other-console/journal");
});

test("the default sandbox belongs to one person: the sudo user's or the account's, never shared by every root user", () => {
  const alice = sessionPlaces({ env: { SUDO_USER: "alice" }, sandbox: true });
  const bob = sessionPlaces({ env: { SUDO_USER: "bob" }, sandbox: true });
  if (process.getuid?.() !== 0) {
    // Not root: the user's own data folder, which is already theirs alone.
    assert.match(alice.sandboxDir!, /lifeboat.sandbox$/);
  } else {
    assert.notEqual(alice.sandboxDir, bob.sandboxDir);
    assert.notEqual(alice.journalDir, bob.journalDir, "so neither resumes the other's practice incidents");
    // The clusters run as another account, which cannot enter /root: a folder of the person's own in /var/tmp.
    assert.equal(alice.sandboxDir, "/var/tmp/lifeboat-sandbox-alice");
    assert.equal(
      sessionPlaces({ env: { SUDO_USER: "../etc" }, sandbox: true }).sandboxDir,
      "/var/tmp/lifeboat-sandbox-root",
    );
  }
  // A folder of one's own choosing wins (console --sandbox --dir, or LIFEBOAT_SANDBOX_DIR).
  assert.equal(sessionPlaces({ env: {}, sandbox: true, sandboxDir: "/srv/mine" }).sandboxDir, "/srv/mine");
});
