// Scenario 5 practised end to end in the console: the sandbox's region-outage incident takes production's compute
// and Neon's API for the project away, the test stops the S3 server standing for region A's store, and a replica (a
// folder) standing for region B's store holds the newest backup. The runbook restores it from the replica into a new
// database on a second PostgreSQL standing for region B's server; each step is checked against the real stores and
// servers, the new database's rows with SQL, and the close leaves the training record.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import type { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { findRunbook } from "../../src/shared/runbooks/all-runbooks.ts";
import { startCluster } from "../harness/pg.ts";
import { e2eSkipReason, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import {
  assertTrainingRecord,
  closeIncident,
  invoke,
  records,
  runAction,
  sql,
  startRunbook,
  stepRegion,
  tickAll,
} from "./runbook-driver.ts";
import { visible } from "./ui.ts";

const skip = e2eSkipReason();
const REGION_B_PASSWORD = "region-b-Pw-7731";

describe("Scenario 5: region outage, practised on the sandbox", { skip: skip ?? false, timeout: 900_000 }, () => {
  let env: ConsoleEnv;
  let regionB: LocalCluster;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lifeboat-region-b-"));
    // Region B's store and its own backups' folder: folders that exist, as a mounted drive does.
    for (const f of ["replica", "region-b-backups"]) await mkdir(join(dir, f));
    regionB = await startCluster({ password: REGION_B_PASSWORD });
    const { recipient } = generateIdentity();
    env = await startConsoleEnv({
      replicas: [{ name: "region-b", storage: { kind: "folder", path: join(dir, "replica") } }],
      moreProfiles: [
        {
          name: "region-b",
          database: {
            host: regionB.host,
            port: regionB.port,
            database: "postgres",
            user: regionB.user,
            password: "env:LB_E2E_REGION_B_PASSWORD",
            sslmode: "disable",
          },
          storage: { kind: "folder", path: join(dir, "region-b-backups") },
          encryption: { recipients: [recipient] },
        },
      ],
      moreEnv: { LB_E2E_REGION_B_PASSWORD: REGION_B_PASSWORD },
    });
    await env.page.goto(env.host.url);
  });
  after(async () => {
    await env?.stop();
    await regionB?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test("production's region is out; the newest backup, read from the replica, is restored into a new database in region B", async () => {
    const runbook = findRunbook("scenario-5-region-outage")!;
    // Before the outage: a backup, copied to the replica by the backup itself.
    const backup = await invoke<{ id: string; replicas?: { name: string; copied: { id: string }[] }[] }>(
      env,
      "backups.run",
      { profile: "sandbox" },
    );
    assert.deepEqual(
      backup.replicas?.map((r) => [r.name, r.copied.map((c) => c.id)]),
      [["region-b", [backup.id]]],
      `the backup's copy is proven on the replica: ${JSON.stringify(backup.replicas)}`,
    );
    const notes = Number((await sql<{ n: string }>(env, `SELECT count(*) AS n FROM "ClinicalNote"`))[0]!.n);
    const patients = Number((await sql<{ n: string }>(env, `SELECT count(*) AS n FROM "Patient"`))[0]!.n);

    // The outage: production's compute and Neon's API for the project (the sandbox), region A's store (the test).
    await env.sandbox.stageIncident("region-outage");
    await env.s3.stop();
    assert.equal(env.sandbox.connInfo(), null, "production's compute is gone");
    const api = await fetch(`${env.sandbox.apiUrl}/projects/${env.sandbox.projectId}`, {
      headers: { authorization: `Bearer ${env.sandbox.apiKey}` },
    });
    assert.equal(api.status, 503, "Neon's API answers 503 for the project");
    const incident = await startRunbook(env, runbook.title, "Region us-east-1 down: database, Neon and S3");

    const check = await runAction(env, 1, "Try a direct connection", "Test the connection", 60_000);
    assert.equal(
      await check.getByRole("definition").filter({ hasText: /^no$/ }).count(),
      2,
      `neither the database nor Neon's API answers: ${await check.textContent()}`,
    );
    const where = await runAction(env, 2, "Find the copies that are still in reach", "List the copies", 120_000);
    // Each store once: region A's says why it cannot be listed, region B's lists without an error.
    const stores = where.getByRole("table").first().getByRole("row");
    assert.deepEqual(
      (await stores.allTextContents()).slice(1).map((r) => [r.startsWith("primary"), /ECONNREFUSED/.test(r)]),
      [
        [true, true],
        [false, false],
      ],
      (await stores.allTextContents()).join(" | "),
    );
    const held = await visible(where.getByRole("row").filter({ hasText: backup.id }));
    assert.match((await held.textContent()) ?? "", /region-b/, "the replica in region B holds the newest backup");
    const support = stepRegion(env, 3, "Contact Neon support (CRITICAL)");
    await support.getByRole("button", { name: "Now: Contacted at (UTC)" }).click();
    await support.getByRole("button", { name: "Record contact" }).click();
    const choose = stepRegion(env, 4, "Choose the backup and the server in the other region");
    assert.equal(await choose.getByLabel("Backup to restore").inputValue(), backup.id, "the newest backup, offered");
    assert.equal(await choose.getByLabel("Profile of the other region's server").inputValue(), "region-b");
    await choose.getByRole("button", { name: "Record the choice" }).click();

    const restore = await runAction(
      env,
      5,
      "Restore from the replica into a new database",
      "Restore from the replica",
      300_000,
    );
    await visible(restore.getByRole("definition").filter({ hasText: /^region-b$/ }));
    const [run] = await records(env, { kind: "restore.run", outcome: "ok", incident });
    assert.ok(run, "the engine journaled the restore as done");
    assert.match(JSON.stringify(run.details), /region-b/, "the journal says the replica's copy was read");
    const restored = regionB.conn();
    const c = new pg.Client({ ...restored, password: REGION_B_PASSWORD, ssl: false });
    await c.connect();
    let database: string;
    try {
      const dbs = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'region_b_%'`);
      assert.equal(dbs.rows.length, 1, "one new database in region B");
      database = (dbs.rows[0] as { datname: string }).datname;
    } finally {
      await c.end();
    }
    const n = new pg.Client({ ...regionB.conn(database), password: REGION_B_PASSWORD, ssl: false });
    await n.connect();
    try {
      const q = async (t: string) =>
        Number(((await n.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0] as { n: string }).n);
      assert.deepEqual([await q("ClinicalNote"), await q("Patient")], [notes, patients], "the backup's rows are there");
    } finally {
      await n.end();
    }

    const sw = stepRegion(env, 6, "Switch the application to the new database");
    const uri = await sw.getByLabel("New connection (without the password)").inputValue();
    assert.equal(uri.includes(database), true, uri);
    assert.equal(uri.includes(REGION_B_PASSWORD), false, "no password in the connection to copy");
    await sw.getByRole("checkbox", { name: "DATABASE_URL points at the new database" }).check();
    await sw.getByRole("checkbox", { name: "Application restarted or redeployed" }).check();
    await sw.getByRole("button", { name: "Record the switch" }).click();
    const back = stepRegion(env, 7, "Plan the way back");
    await back.getByLabel("Who leads the way back").fill("Amal Haddad");
    await back.getByRole("checkbox", { name: "The new database is backed up and replicated" }).check();
    await back.getByRole("button", { name: "Record the plan" }).click();
    await runAction(env, 8, "Mark service restored", "Service restored", 60_000);
    const notify = stepRegion(env, 9, "Notify users");
    await notify.getByRole("checkbox", { name: "Status page updated" }).check();
    await notify.getByRole("button", { name: "Record notification" }).click();
    await tickAll(env, 10);
    await env.screenshot("runbook-scenario-5-done");
    await closeIncident(env, "Restored the newest backup from the region B replica into a new database there.");
    await assertTrainingRecord(env, incident, runbook.id, runbook.version);

    const decisions = (await records(env, { incident })).map((r) => JSON.stringify(r));
    assert.ok(
      decisions.some((r) => r.includes("Way back (led by Amal Haddad)")),
      "the way back is journaled",
    );
    assert.ok(
      decisions.some((r) => r.includes(`Application switched to ${uri}`)),
      "the switch is journaled",
    );
    for (const r of decisions) assert.equal(r.includes(REGION_B_PASSWORD), false, "no password in the journal");
  });
});
