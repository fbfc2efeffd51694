// Three states of one database for the repair-plan tests: "before" (a copy before the incident), "damaged" (a copy
// right after it) and production (where later, legitimate writes keep happening), each a CREATE DATABASE … TEMPLATE.
import { after, before } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenJournal } from "../../../../src/main/journal/journal.ts";
import type { ConnInfo } from "../../../../src/main/postgres/conn-info.ts";
import type { LocalCluster } from "../../../../src/main/postgres/local-cluster.ts";
import { useCluster } from "../../../harness/pg.ts";
import { makeSampleTemplate, sql, tempJournal } from "../forensics-fixture.ts";

export interface RepairWorld {
  cluster: () => LocalCluster;
  template: () => string;
  plansDir: () => string;
  ctx: () => { journal: OpenJournal; profile: string };
}

/** For a suite: one cluster with the sample template, a journal and a plans folder, all removed afterwards. */
export function useRepairWorld(prepareTemplate?: (template: ConnInfo) => Promise<void>): RepairWorld {
  const cluster = useCluster();
  let template = "";
  let plansDir = "";
  let journal: { journal: OpenJournal; cleanup: () => Promise<void> } | undefined;
  before(async () => {
    template = await makeSampleTemplate(cluster());
    await prepareTemplate?.(cluster().conn(template));
    journal = await tempJournal();
    plansDir = await mkdtemp(join(tmpdir(), "lifeboat-plans-"));
  });
  after(async () => {
    await journal?.cleanup();
    if (plansDir) await rm(plansDir, { recursive: true, force: true });
  });
  return {
    cluster,
    template: () => template,
    plansDir: () => plansDir,
    ctx: () => ({ journal: journal!.journal, profile: "clinic" }),
  };
}

/** The states as the engine takes them. */
export function statesOf(s: States) {
  return {
    before: s.before,
    damaged: s.damaged,
    production: s.production,
    sources: { before: "before db", damaged: "damaged db" },
  };
}

/** A trigger that stamps updatedAt on every update of "Patient", as many apps have. */
export async function touchTrigger(p: ConnInfo): Promise<void> {
  await sql(
    p,
    `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW."updatedAt" := now(); RETURN NEW; END$$`,
  );
  await sql(p, `CREATE TRIGGER patient_touch BEFORE UPDATE ON "Patient" FOR EACH ROW EXECUTE FUNCTION touch()`);
}

let seq = 0;

export interface States {
  before: ConnInfo;
  damaged: ConnInfo;
  production: ConnInfo;
  prodDb: string;
}

export async function makeStates(
  cluster: LocalCluster,
  template: string,
  incident: (prod: ConnInfo) => Promise<unknown>,
  later: (prod: ConnInfo) => Promise<void> = async () => {},
  setup: (prod: ConnInfo) => Promise<void> = async () => {},
): Promise<States> {
  const n = ++seq;
  const prodDb = `rp_prod_${n}`;
  await cluster.query(`CREATE DATABASE "${prodDb}" TEMPLATE "${template}"`);
  await setup(cluster.conn(prodDb));
  await cluster.query(`CREATE DATABASE "rp_before_${n}" TEMPLATE "${prodDb}"`);
  await incident(cluster.conn(prodDb));
  await cluster.query(`CREATE DATABASE "rp_damaged_${n}" TEMPLATE "${prodDb}"`);
  await later(cluster.conn(prodDb));
  return {
    before: cluster.conn(`rp_before_${n}`),
    damaged: cluster.conn(`rp_damaged_${n}`),
    production: cluster.conn(prodDb),
    prodDb,
  };
}

/**
 * The sandbox's mixed incident, as a test needs to know it: notes referred to by prescriptions deleted (the foreign
 * key sets Prescription.noteId to NULL), phone and email wiped on patients, and two notes inserted by the same bug.
 */
export async function mixedIncident(
  prod: ConnInfo,
): Promise<{ notes: number[]; patients: number[]; unlinked: number[] }> {
  const notes = (
    await sql(prod, `SELECT DISTINCT "noteId" AS id FROM "Prescription" WHERE "noteId" IS NOT NULL ORDER BY 1 LIMIT 6`)
  ).map((r) => r.id as number);
  const unlinked = (await sql(prod, `SELECT id FROM "Prescription" WHERE "noteId" = ANY($1) ORDER BY id`, [notes])).map(
    (r) => r.id as number,
  );
  const patients = (await sql(prod, `SELECT id FROM "Patient" WHERE phone IS NOT NULL ORDER BY id LIMIT 8`)).map(
    (r) => r.id as number,
  );
  await sql(prod, `DELETE FROM "ClinicalNote" WHERE id = ANY($1)`, [notes]);
  await sql(prod, `UPDATE "Patient" SET phone = NULL, email = NULL WHERE id = ANY($1)`, [patients]);
  await sql(
    prod,
    `INSERT INTO "ClinicalNote" ("patientId", "authorId", title, content, "updatedAt")
     SELECT p.id, u.id, 'bulk import', 'junk', now() FROM (SELECT id FROM "Patient" ORDER BY id LIMIT 2) p, (SELECT id FROM "User" ORDER BY id LIMIT 1) u`,
  );
  return { notes, patients, unlinked };
}

/** md5 over every user table's rows in a stable order: equal digests, equal contents. */
export async function databaseDigest(conn: ConnInfo): Promise<string> {
  const tables = (
    await sql(conn, `SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables ORDER BY 1`)
  ).map((r) => r.t as string);
  const parts: string[] = [];
  for (const t of tables)
    parts.push(
      (await sql(conn, `SELECT md5(COALESCE(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM ${t} x`))[0].h,
    );
  return parts.join(",");
}
