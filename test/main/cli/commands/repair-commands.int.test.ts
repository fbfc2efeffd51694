// `lifeboat forensics plan | rows | decide | apply | verify | export` through the real CLI entry and the router: the
// states from secrets and a profile, --json everywhere, the refusals with their exit codes, verify's exit 7 while damage
// remains, and no password in any output.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateIdentity } from "../../../../src/main/crypto/age-keys.ts";
import { runCli, type CliRun } from "../../../harness/cli.ts";
import { useCluster } from "../../../harness/pg.ts";
import { makeSampleTemplate, sql } from "../../forensics/forensics-fixture.ts";
import { makeStates, mixedIncident, type States } from "../../forensics/repair/repair-fixture.ts";

const PASSWORD = "repair-Pw-93be1";

describe("lifeboat forensics plan/apply/verify", () => {
  const cluster = useCluster({ password: PASSWORD });
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let s: States;
  let incident: Awaited<ReturnType<typeof mixedIncident>>;
  const cli = (...args: string[]) => runCli(["--config", join(dir, "config.json"), ...args], { env });
  const ok = (r: CliRun) => {
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), "the password never appears in output");
    return r;
  };
  const states = ["--before-secret", "env:BEFORE_URI", "--damaged-profile", "damaged"];

  before(async () => {
    const c = cluster();
    s = await makeStates(
      c,
      await makeSampleTemplate(c),
      async (p) => void (incident = await mixedIncident(p)),
      async (p) =>
        void (await sql(p, `UPDATE "Patient" SET phone = '+1 555 0100' WHERE id = $1`, [incident.patients[0]])),
    );
    dir = await mkdtemp(join(tmpdir(), "lifeboat-repair-cli-"));
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
      JSON.stringify({ version: 1, profiles: [profile("clinic", s.prodDb), profile("damaged", s.damaged.database)] }),
      { mode: 0o600 },
    );
    env = {
      ...process.env,
      TEST_PG_PW: PASSWORD,
      BEFORE_URI: `postgresql://${c.user}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${c.port}/${s.before.database}?sslmode=disable`,
      LIFEBOAT_JOURNAL_DIR: join(dir, "journal"),
    };
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("bad input: no before state, points in the wrong order, an unknown plan", async () => {
    const none = await cli("forensics", "plan", "Patient", "-p", "clinic");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /which database is the before state/);
    const order = await cli(
      "--json",
      "forensics",
      "plan",
      "Patient",
      "-p",
      "clinic",
      ...states,
      "--before-at",
      "2026-01-17T14:36:00Z",
      "--damaged-at",
      "2026-01-17T14:35:00Z",
    );
    assert.equal(order.code, 2);
    assert.match(order.json!.error!.message, /damaged state .* is not after the before state/);
    const unknown = await cli("--json", "forensics", "verify", "plan-20260101-000000-abcdef", "-p", "clinic");
    assert.equal(unknown.code, 2);
    assert.equal(unknown.json!.error!.code, "PLAN_NOT_FOUND");
  });

  test("plan, drill down, decide, dry run, apply, verify red then green, export", async () => {
    const plan = ok(await cli("--json", "forensics", "plan", "ClinicalNote", "Patient", "-p", "clinic", ...states));
    const planId: string = plan.json!.value.plan.planId;
    assert.equal(plan.json!.value.plan.totals.reinsert, incident.notes.length);
    const text = ok(await cli("forensics", "plan", "Patient", "-p", "clinic", ...states, "--no-follow-fks"));
    assert.match(text.stdout, /public\.Patient +0 +7 +1 +0/);
    assert.match(text.stdout, /next: lifeboat forensics apply plan-/);

    const rows = ok(await cli("forensics", "rows", planId, "--class", "conflict"));
    assert.match(rows.stdout, /phone: before "\+1-[^"]+" \| damaged NULL \| now "\+1 555 0100"/);

    const red = await cli("--json", "forensics", "verify", planId, "-p", "clinic");
    assert.equal(red.code, 7, "damage remains: exit 7");
    assert.equal(red.json!.value.green, false);

    const refused = await cli("forensics", "apply", planId, "-p", "clinic", "--confirm", "clinic");
    assert.equal(refused.code, 8);
    assert.match(refused.stderr, /not the production database name/);

    ok(
      await cli(
        "forensics",
        "decide",
        planId,
        "--table",
        "public.Patient",
        "--key",
        String(incident.patients[0]),
        "--keep-now",
      ),
    );
    ok(await cli("forensics", "decide", planId, "--table", "public.ClinicalNote", "--all", "inserted", "--remove"));
    const dry = ok(await cli("forensics", "apply", planId, "-p", "clinic", "--dry-run"));
    assert.match(dry.stdout, /dry run .* rolled back/);
    const applied = ok(await cli("--json", "forensics", "apply", planId, "-p", "clinic", "--confirm", s.prodDb));
    const notes = applied.json!.value.tables.find((t: { table: string }) => t.table === "public.ClinicalNote");
    assert.deepEqual([notes.inserted, notes.deleted], [incident.notes.length, 2]);

    const green = ok(await cli("forensics", "verify", planId, "-p", "clinic"));
    assert.match(
      green.stdout,
      /verified: no damaged row is left without a decision \(1 left as they are by decision\)/,
    );

    const csv = ok(await cli("--json", "forensics", "export", planId, "--format", "csv"));
    const body = await readFile(csv.json!.value.file, "utf8");
    assert.match(body, /^table,key,class,column,before,damaged,now,note\r\n/);
    assert.ok(body.includes(`public.Patient,${incident.patients[0]},conflict,phone,`));
  });
});
