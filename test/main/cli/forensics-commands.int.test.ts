// `lifeboat forensics …` through the real CLI entry: profiles for production and the branch, the branch's URI from
// a secret, --json everywhere, refusals with their exit codes, and no password in any output.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { runCli, type CliRun } from "../../harness/cli.ts";
import { useCluster } from "../../harness/pg.ts";
import { makePair, makeSampleTemplate, sql, type Pair } from "../forensics/forensics-fixture.ts";

const PASSWORD = "forensics-Pw-41c9e";

describe("lifeboat forensics", () => {
  const cluster = useCluster({ password: PASSWORD });
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let pair: Pair;
  const cli = (...args: string[]) => runCli(["--config", join(dir, "config.json"), ...args], { env });
  const noSecrets = (r: CliRun) =>
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), "the password never appears in output");

  before(async () => {
    const c = cluster();
    pair = await makePair(c, await makeSampleTemplate(c));
    await sql(pair.production, `CREATE TABLE loose (v int); INSERT INTO loose VALUES (1)`);
    await sql(pair.branch, `CREATE TABLE loose (v int); INSERT INTO loose VALUES (1), (2)`);
    await sql(
      pair.production,
      `WITH gone AS (DELETE FROM "ClinicalNote" WHERE id IN (SELECT id FROM "ClinicalNote" WHERE id NOT IN (SELECT "noteId" FROM "Prescription" WHERE "noteId" IS NOT NULL) ORDER BY id DESC LIMIT 25) RETURNING id)
       INSERT INTO "AuditLog" ("action", "tableName", "recordId", "timestamp") SELECT 'DELETE', 'ClinicalNote', id::text, timestamp '2026-01-17 14:35:00.400' FROM gone;
       ALTER TABLE "Patient" DROP COLUMN "phone";`,
    );
    dir = await mkdtemp(join(tmpdir(), "lifeboat-forensics-cli-"));
    const profile = (name: string, database: string) => ({
      name,
      database: {
        host: "127.0.0.1",
        port: c.port,
        database,
        user: c.user,
        password: "env:TEST_PG_PW",
        sslmode: "disable",
      },
      storage: { kind: "folder", path: join(dir, "store") },
      encryption: { recipients: [generateIdentity().recipient] },
    });
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ version: 1, profiles: [profile("clinic", pair.prodDb), profile("recovery", pair.branchDb)] }),
      { mode: 0o600 },
    );
    env = {
      ...process.env,
      TEST_PG_PW: PASSWORD,
      BRANCH_URI: `postgresql://${c.user}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${c.port}/${pair.branchDb}?sslmode=disable`,
      NOT_A_URI: "hello",
      LIFEBOAT_JOURNAL_DIR: join(dir, "journal"),
    };
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("audit suggests the last good second (--json and text)", async () => {
    const r = await cli("--json", "forensics", "audit", "-p", "clinic");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json?.value.suggestedRecoveryPoint, "2026-01-17T14:34:59.000Z");
    assert.equal(r.json?.value.bursts[0].table, "ClinicalNote");
    const t = await cli("forensics", "audit", "-p", "clinic", "--bucket", "300");
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /suggested recovery point \(the last good second\): 2026-01-17T14:34:59\.000Z/);
  });

  test("diff with the branch as a profile, and as a secret holding its URI", async () => {
    const a = await cli("--json", "forensics", "diff", "ClinicalNote", "--branch-profile", "recovery", "-p", "clinic");
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.deepEqual(
      [a.json?.value.missingInProduction, a.json?.value.changed, a.json?.value.extraInProduction],
      [25, 0, 0],
    );
    const b = await cli("forensics", "diff", "ClinicalNote", "--branch-secret", "env:BRANCH_URI", "-p", "clinic");
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /missing from production: 25/);
    assert.match(b.stdout, /next: lifeboat forensics copy ClinicalNote --dry-run/);
    noSecrets(a);
    noSecrets(b);
    // On a terminal the compare shows how far it got, in rows; the last figure is the whole branch table.
    const tty = await runCli(
      [
        "--config",
        join(dir, "config.json"),
        "forensics",
        "diff",
        "ClinicalNote",
        "--branch-profile",
        "recovery",
        "-p",
        "clinic",
      ],
      { env, tty: true },
    );
    assert.equal(tty.code, 0, tty.stderr);
    const lines = tty.stderr.split("\r\x1b[2K").filter(Boolean);
    assert.match(lines.at(-1) ?? "", /^forensics: compare · \d+ rows of ~\d+/, JSON.stringify(lines));
    const branchRows = a.json?.value.counts.branch as number;
    assert.ok(
      lines.some((l) => l.startsWith(`forensics: compare · ${branchRows} rows`)),
      `reached ${branchRows} rows: ${JSON.stringify(lines)}`,
    );
  });

  test("copy: dry run, refusal without the typed name (exit 8), then the copy", async () => {
    const dry = await cli(
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-profile",
      "recovery",
      "-p",
      "clinic",
      "--dry-run",
    );
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /DRY RUN: 25 rows of public\.ClinicalNote would be copied/);
    assert.match(dry.stdout, new RegExp(`--confirm ${pair.prodDb}`));
    const refused = await cli(
      "--json",
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-profile",
      "recovery",
      "-p",
      "clinic",
    );
    assert.equal(refused.code, 8);
    assert.equal(refused.json?.error?.code, "CONFIRMATION_REQUIRED");
    const wrong = await cli(
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-profile",
      "recovery",
      "-p",
      "clinic",
      "--confirm",
      "clinic",
    );
    assert.equal(wrong.code, 8);
    assert.match(wrong.stderr, /not the production database name/);
    const one = await cli(
      "--json",
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-profile",
      "recovery",
      "-p",
      "clinic",
      "--confirm",
      pair.prodDb,
      "--key",
      dry.stdout.match(/id=(\d+)/)![1]!,
    );
    assert.equal(one.code, 0, one.stdout);
    assert.equal(one.json?.value.rows, 1);
    const rest = await cli(
      "--json",
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-secret",
      "env:BRANCH_URI",
      "-p",
      "clinic",
      "--confirm",
      pair.prodDb,
    );
    assert.equal(rest.code, 0, rest.stdout);
    assert.equal(rest.json?.value.rows, 24);
    assert.equal(rest.json?.value.after, 423);
  });

  test("schema-diff and restore-column", async () => {
    const s = await cli("--json", "forensics", "schema-diff", "--branch-profile", "recovery", "-p", "clinic");
    assert.equal(s.code, 0, s.stdout);
    assert.deepEqual(
      s.json?.value.droppedColumns.map((c: { table: string; column: string }) => `${c.table}.${c.column}`),
      ["public.Patient.phone"],
    );
    const text = await cli("forensics", "schema-diff", "--branch-profile", "recovery", "-p", "clinic");
    assert.match(text.stdout, /public\.Patient\.phone text/);
    const r = await cli(
      "forensics",
      "restore-column",
      "Patient",
      "phone",
      "--branch-profile",
      "recovery",
      "-p",
      "clinic",
      "--confirm",
      pair.prodDb,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /restored the values of 150 rows/);
    const after = await cli("--json", "forensics", "schema-diff", "--branch-profile", "recovery", "-p", "clinic");
    assert.deepEqual(after.json?.value.droppedColumns, []);
  });

  test("bad input: no branch, a URI on argv, a secret that is not a URI, a table without a key", async () => {
    const none = await cli("forensics", "diff", "ClinicalNote", "-p", "clinic");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--branch-profile/);
    const argv = await cli(
      "forensics",
      "diff",
      "ClinicalNote",
      "-p",
      "clinic",
      "--branch-secret",
      `postgresql://u:${PASSWORD}@127.0.0.1/x`,
    );
    assert.equal(argv.code, 2);
    assert.match(argv.stderr, /never taken from the command line/);
    noSecrets(argv);
    const notUri = await cli(
      "--json",
      "forensics",
      "diff",
      "ClinicalNote",
      "-p",
      "clinic",
      "--branch-secret",
      "env:NOT_A_URI",
    );
    assert.equal(notUri.json?.error?.code, "CONFIG_INVALID");
    const loose = await cli("forensics", "diff", "loose", "-p", "clinic", "--branch-profile", "recovery");
    assert.equal(loose.code, 2);
    assert.match(loose.stderr, /no primary key/);
    assert.match(loose.stderr, /--full-row/);
    const full = await cli(
      "--json",
      "forensics",
      "diff",
      "loose",
      "-p",
      "clinic",
      "--branch-profile",
      "recovery",
      "--full-row",
    );
    assert.equal(full.json?.value.missingInProduction, 1);
  });

  test("the journal records every forensics step and never the password", async () => {
    const files = (await readdir(join(dir, "journal"))).filter((f) => f.endsWith(".jsonl"));
    const text = (await Promise.all(files.map((f) => readFile(join(dir, "journal", f), "utf8")))).join("");
    for (const kind of [
      "forensics.audit",
      "forensics.diff",
      "forensics.copy",
      "forensics.schema-diff",
      "forensics.restore-column",
    ])
      assert.ok(text.includes(`"${kind}"`), kind);
    assert.ok(text.includes('"refused"'));
    assert.ok(!text.includes(PASSWORD) && !text.includes("postgresql://"));
  });
});
