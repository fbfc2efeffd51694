// Seed scenario 1 end to end through the CLI on the local Neon sandbox (real point-in-time recovery): a bulk delete;
// `forensics audit` finds its time; `neon recover-to` branches at the suggested last good second; `forensics diff`
// against that branch finds exactly the deleted rows; `forensics copy` puts them back. Production's counts end where
// they were before the incident. Then seed scenario 3: a dropped column restored with its values.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import type { IncidentRecord } from "../../../src/main/sandbox/index.ts";
import { runCli } from "../../harness/cli.ts";
import { useSandbox } from "../../harness/neon-sandbox.ts";
import { sql } from "../forensics/forensics-fixture.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("seed scenario 1 on the Neon sandbox, through the CLI", { timeout: 600_000 }, () => {
  const sandbox = useSandbox();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let incident: IncidentRecord;
  let notesBefore: number;
  let point: string;
  const cli = (...args: string[]) => runCli(["--config", join(dir, "config.json"), ...args], { env });
  const notes = async () => Number((await sql(sandbox().connInfo()!, `SELECT count(*) AS n FROM "ClinicalNote"`))[0].n);

  before(async () => {
    const s = sandbox();
    const conn = s.connInfo()!;
    dir = await mkdtemp(join(tmpdir(), "lifeboat-forensics-sandbox-"));
    const profile = {
      name: "clinic",
      database: {
        host: conn.host,
        port: conn.port,
        database: conn.database,
        user: conn.user,
        password: "env:SANDBOX_PG_PW",
        sslmode: "disable",
      },
      storage: { kind: "folder", path: join(dir, "store") },
      encryption: { recipients: [generateIdentity().recipient] },
      neon: { projectId: s.projectId, apiKey: "env:SANDBOX_KEY", apiHost: s.apiUrl },
    };
    await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
    env = {
      ...process.env,
      SANDBOX_KEY: s.apiKey,
      SANDBOX_PG_PW: conn.password ?? "",
      LIFEBOAT_JOURNAL_DIR: join(dir, "journal"),
    };
    notesBefore = await notes();
    // The history must reach back past the last good second before anything happens.
    await sleep(2500);
    incident = await s.stageIncident("bulk-delete", undefined, { rows: 40 });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("audit finds the burst and suggests a second before it", async () => {
    const r = await cli("--json", "forensics", "audit");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json?.value.bursts[0].table, "ClinicalNote");
    assert.equal(r.json?.value.bursts[0].count, 40);
    point = r.json?.value.suggestedRecoveryPoint;
    // The sandbox knows when it started the delete: the suggestion is no later than that, and at most a second earlier.
    const lastGood = Date.parse(incident.lastGoodSecond);
    assert.ok(
      Date.parse(point) <= lastGood && Date.parse(point) >= lastGood - 1000,
      `${point} vs ${incident.lastGoodSecond}`,
    );
  });

  test("a branch at the suggested point holds the deleted rows; diff finds exactly them; copy puts them back", async () => {
    const branch = await cli("--json", "neon", "recover-to", point, "--name", "recovery-forensics", "--show-uri");
    assert.equal(branch.code, 0, branch.stdout + branch.stderr);
    env.BRANCH_URI = branch.json?.value.connectionUri;

    const diff = await cli(
      "--json",
      "forensics",
      "diff",
      "ClinicalNote",
      "--branch-secret",
      "env:BRANCH_URI",
      "--sample",
      "100",
    );
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    const deleted = (incident.details as { deletedIds: number[] }).deletedIds.map(String);
    assert.deepEqual(
      diff.json?.value.sampleMissing.map((k: { id: string }) => k.id),
      deleted,
    );
    assert.deepEqual(
      [diff.json?.value.missingInProduction, diff.json?.value.changed, diff.json?.value.extraInProduction],
      [40, 0, 0],
    );

    const refused = await cli("forensics", "copy", "ClinicalNote", "--branch-secret", "env:BRANCH_URI");
    assert.equal(refused.code, 8);
    const dry = await cli(
      "--json",
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-secret",
      "env:BRANCH_URI",
      "--dry-run",
    );
    assert.equal(dry.json?.value.rows, 40);
    const copy = await cli(
      "--json",
      "forensics",
      "copy",
      "ClinicalNote",
      "--branch-secret",
      "env:BRANCH_URI",
      "--confirm",
      sandbox().database,
    );
    assert.equal(copy.code, 0, copy.stdout);
    assert.equal(copy.json?.value.rows, 40);
    assert.equal(await notes(), notesBefore);

    const del = await cli("neon", "delete", "recovery-forensics");
    assert.equal(del.code, 0, del.stderr);
  });

  test("seed scenario 3: a migration drops a column; schema-diff names it and restore-column brings its values back", async () => {
    const s = sandbox();
    const valuesBefore = await sql(
      s.connInfo()!,
      `SELECT md5(string_agg(id || ':' || COALESCE("vitals"::text, '-'), ',' ORDER BY id)) AS h FROM "ClinicalNote"`,
    );
    await sleep(1100);
    const drop = await s.stageIncident("drop-column", undefined, { column: "vitals" });
    const branch = await cli(
      "--json",
      "neon",
      "recover-to",
      drop.lastGoodSecond,
      "--name",
      "recovery-migration",
      "--show-uri",
    );
    assert.equal(branch.code, 0, branch.stdout + branch.stderr);
    env.BRANCH_URI = branch.json?.value.connectionUri;

    const diff = await cli("--json", "forensics", "schema-diff", "--branch-secret", "env:BRANCH_URI");
    assert.deepEqual(
      diff.json?.value.droppedColumns.map((c: { table: string; column: string; type: string }) => [
        c.table,
        c.column,
        c.type,
      ]),
      [["public.ClinicalNote", "vitals", "jsonb"]],
    );
    const restore = await cli(
      "--json",
      "forensics",
      "restore-column",
      "ClinicalNote",
      "vitals",
      "--branch-secret",
      "env:BRANCH_URI",
      "--confirm",
      s.database,
    );
    assert.equal(restore.code, 0, restore.stdout);
    const valuesAfter = await sql(
      s.connInfo()!,
      `SELECT md5(string_agg(id || ':' || COALESCE("vitals"::text, '-'), ',' ORDER BY id)) AS h FROM "ClinicalNote"`,
    );
    assert.equal(valuesAfter[0].h, valuesBefore[0].h);
    assert.equal((await cli("neon", "delete", "recovery-migration")).code, 0);
  });
});
