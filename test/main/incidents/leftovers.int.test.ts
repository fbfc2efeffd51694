// What recovery leaves on a real server, listed at an incident's close and cleaned up only on the operator's word:
// an unused staging database and a database a journaled restore created are listed (the incident's marked); a drop
// needs the typed name, is refused for production and for any database the journal did not see a restore create.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cleanUpLeftovers } from "../../../src/main/incidents/clean-up.ts";
import { closeIncidentWithReport } from "../../../src/main/incidents/incident-operations.ts";
import { openIncident } from "../../../src/main/incidents/incident-actions.ts";
import { listLeftovers, madeInIncident } from "../../../src/main/incidents/leftovers.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { leftoverSentence } from "../../../src/shared/incidents/leftover-sentence.ts";
import { useCluster } from "../../harness/pg.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";

let cluster: ReturnType<typeof useCluster>;
const t = tempJournalDir();
let j: OpenJournal;
let profile: Profile;
let incident: string;
const env = { LB_TEST_PG: "" };

async function setUp(): Promise<void> {
  const c = cluster();
  const conn = c.conn();
  env.LB_TEST_PG = conn.password ?? "";
  await c.query(`CREATE DATABASE clinic`);
  await c.query(`CREATE DATABASE lifeboat_restoring_ab12cd`);
  await c.query(`CREATE DATABASE restored_20260117_1430`);
  await c.query(`CREATE DATABASE someone_elses`);
  profile = validateProfile({
    name: "clinic",
    database: {
      host: conn.host,
      port: conn.port,
      database: "clinic",
      user: conn.user,
      password: "env:LB_TEST_PG",
      sslmode: "disable",
    },
    storage: { kind: "folder", path: "/tmp" },
    encryption: { recipients: ["age1ww6lssmnrfq9szsshmmlqud0xvm96h06nrgv7mqlzwm3t43knqwst5ym47"] },
  });
  j = await openJournal({ dir: t.dir });
  ({ id: incident } = await openIncident(j, {
    title: "Notes gone",
    severity: "SEV1",
    scenario: "data-corruption",
    profile: "clinic",
  }));
  await j.append({
    kind: "restore.run",
    profile: "clinic",
    summary: "Restore into restored_20260117_1430",
    details: { targetHost: conn.host, targetDatabase: "restored_20260117_1430", created: true },
    outcome: "ok",
  });
}
after(async () => {
  await j?.close();
  t.cleanup();
});

const ctx = () => ({
  resolveSecret: async (ref: string) => (ref === "env:LB_TEST_PG" ? env.LB_TEST_PG : ""),
  signal: new AbortController().signal,
  env: process.env,
  journal: j,
});
const byName = async (): Promise<Profile> => profile;

describe("leftovers at an incident's close", () => {
  cluster = useCluster();
  before(setUp);

  test("the staging database and the incident's restored copy are listed; nothing else", async () => {
    const l = await listLeftovers(profile, await madeInIncident(j, incident), byName, {}, ctx());
    assert.deepEqual(
      l.databases.map((d) => [d.database, d.kind, d.fromIncident]),
      [
        ["lifeboat_restoring_ab12cd", "staging", false],
        ["restored_20260117_1430", "restored", true],
      ],
    );
    assert.deepEqual(l.branches, [], "a profile without Neon has no branches to list");
    assert.deepEqual(l.unchecked, []);
    assert.match(leftoverSentence(l)!, /^Still there: 2 databases \(lifeboat_restoring_ab12cd on 127\.0\.0\.1/);
  });

  test("closing records what remains and returns it as a reminder; an unreachable server never stops the close", async () => {
    const closed = await closeIncidentWithReport(j, { resolution: "Rows copied back" }, new Date(), async (id, p) => {
      assert.equal(id, incident);
      assert.equal(p, "clinic");
      return listLeftovers(profile, await madeInIncident(j, id), byName, {}, ctx());
    });
    assert.deepEqual(closed.record.details.leftovers, {
      branches: [],
      databases: ["lifeboat_restoring_ab12cd on 127.0.0.1", "restored_20260117_1430 on 127.0.0.1"],
    });
    assert.equal(closed.leftovers?.databases.length, 2);
    const other = tempJournalDir();
    after(other.cleanup);
    const down = await openJournal({ dir: other.dir });
    await openIncident(down, { title: "x", severity: "SEV3", scenario: "other" });
    const r = await closeIncidentWithReport(down, {}, new Date(), async () => {
      throw new Error("connection refused");
    });
    assert.equal(r.record.kind, "incident.close");
    assert.equal(r.leftovers, undefined);
    await down.close();
  });

  test("clean-up: typed names only, never production nor a database no journaled restore made", async () => {
    const made = await madeInIncident(j, "journal");
    const r = await cleanUpLeftovers(
      profile,
      {
        branches: [],
        databases: [
          { profile: "clinic", database: "restored_20260117_1430", confirm: "restored" },
          { profile: "clinic", database: "clinic", confirm: "clinic" },
          { profile: "clinic", database: "someone_elses", confirm: "someone_elses" },
          { profile: "clinic", database: "lifeboat_restoring_ab12cd", confirm: "lifeboat_restoring_ab12cd" },
        ],
      },
      made,
      byName,
      {},
      ctx(),
    );
    assert.deepEqual(r.deleted, [{ what: "database", name: "lifeboat_restoring_ab12cd" }]);
    assert.deepEqual(
      r.failed.map((f) => [
        f.name,
        /typed to confirm|production database|neither an unused staging/.exec(f.error.message)?.[0],
        f.error.code,
      ]),
      [
        ["restored_20260117_1430", "typed to confirm", "CONFIRMATION_REQUIRED"],
        ["clinic", "production database", "DROP_REFUSED"],
        ["someone_elses", "neither an unused staging", "DROP_REFUSED"],
      ],
    );
    const left = (await cluster().query("SELECT datname FROM pg_database ORDER BY 1")).rows.map((x) => x.datname);
    assert.ok(left.includes("clinic") && left.includes("someone_elses") && left.includes("restored_20260117_1430"));
    assert.ok(!left.includes("lifeboat_restoring_ab12cd"));
    const again = await cleanUpLeftovers(
      profile,
      {
        branches: [],
        databases: [{ profile: "clinic", database: "restored_20260117_1430", confirm: "restored_20260117_1430" }],
      },
      made,
      byName,
      {},
      ctx(),
    );
    assert.deepEqual(again.failed, []);
    const drops = await j.query({ kind: "restore.drop-leftover" });
    assert.deepEqual(
      drops.records.map((x) => x.outcome),
      ["started", "refused", "started", "refused", "started", "refused", "started", "ok", "started", "ok"],
    );
  });
});
