// The session opener: one journal for every face on the same places, opened only when something is recorded.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSession } from "../../../src/main/session/open-session.ts";
import { writePracticeEnv } from "../../../src/main/session/practice-env.ts";
import { HEAD_FILE } from "../../../src/main/journal/journal-paths.ts";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-session-"));
});
after(async () => rm(dir, { recursive: true, force: true }));

test("reading never opens the journal's writer; the first record does", async () => {
  const journalDir = join(dir, "lazy", "journal");
  const s = await openSession({ face: "cli", env: {}, configPath: join(dir, "none.json"), journalDir });
  try {
    const q = await s.invoke("journal.query", {});
    assert.deepEqual(q, { ok: true, value: { total: 0, offset: 0, records: [] } });
    const list = await s.invoke("incidents.list", {});
    assert.equal(list.ok, true);
    assert.equal(existsSync(join(journalDir, HEAD_FILE)), false, "no head file: the writer was never opened");
    const opened = await s.invoke("incidents.open", { title: "Notes gone", severity: "SEV2", scenario: "other" });
    assert.equal(opened.ok, true, JSON.stringify(opened));
    assert.equal(existsSync(join(journalDir, HEAD_FILE)), true);
  } finally {
    await s.close();
  }
});

test("a read-only session refuses to record and leaves the journal as it was", async () => {
  const journalDir = join(dir, "copied", "journal");
  const s = await openSession({ face: "cli", env: {}, configPath: join(dir, "none.json"), journalDir, readOnly: true });
  try {
    const r = await s.invoke("incidents.note", { text: "not here" });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, "USAGE");
    assert.match(!r.ok ? r.error.message : "", /read only/);
    assert.equal(existsSync(join(journalDir, HEAD_FILE)), false);
  } finally {
    await s.close();
  }
});

test("a CLI and a console on the same sandbox share its config and write one journal", async () => {
  const sandboxDir = join(dir, "sandbox");
  const env = { LIFEBOAT_JOURNAL_DIR: join(dir, "operator-journal") };
  const cli = await openSession({ face: "cli", env, sandbox: true, sandboxDir });
  const browser = await openSession({ face: "browser", env, sandbox: true, sandboxDir });
  try {
    assert.equal(cli.journalDir, browser.journalDir);
    assert.equal(cli.configPath, browser.configPath);
    const opened = await browser.invoke("incidents.open", { title: "Practice", severity: "SEV3", scenario: "other" });
    assert.equal(opened.ok, true, JSON.stringify(opened));
    const note = await cli.invoke("incidents.note", { text: "from the terminal" });
    assert.equal(note.ok, true, JSON.stringify(note));
    const seen = await browser.invoke("journal.query", {});
    assert.deepEqual(seen.ok && seen.value.records.map((r) => [r.kind, r.incident]), [
      ["incident.open", opened.ok && opened.value.id],
      ["operator.note", opened.ok && opened.value.id],
    ]);
    assert.equal(existsSync(env.LIFEBOAT_JOURNAL_DIR), false, "the operator's own journal is untouched");
  } finally {
    await cli.close();
    await browser.close();
  }
});

test("a practice session resolves the practice profile's env: references the running console wrote", async () => {
  const sandboxDir = join(dir, "practice-env", "sandbox");
  const home = `${sandboxDir}-console`;
  await writePracticeEnv(home, {
    LIFEBOAT_SANDBOX_DB_PASSWORD: "practice-db-pw-1",
    LIFEBOAT_SANDBOX_S3_KEY: "S3RVER",
    LIFEBOAT_SANDBOX_S3_SECRET: "S3RVER",
    LIFEBOAT_SANDBOX_AGE_IDENTITY: "AGE-SECRET-KEY-1PRACTICE",
    LIFEBOAT_SANDBOX_API_KEY: "from-file",
  });
  const s = await openSession({
    face: "cli",
    env: { LIFEBOAT_SANDBOX_API_KEY: "from-env" },
    sandbox: true,
    sandboxDir,
  });
  try {
    assert.equal(s.env.LIFEBOAT_SANDBOX_DB_PASSWORD, "practice-db-pw-1");
    assert.equal(s.env.LIFEBOAT_SANDBOX_API_KEY, "from-env", "the caller's own environment wins");
  } finally {
    await s.close();
  }
});
