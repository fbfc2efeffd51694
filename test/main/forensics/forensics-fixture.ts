// Shared by the forensics tests: the clinical sample in one database, cloned (CREATE DATABASE … TEMPLATE) into as
// many "production"/"branch" pairs as a test needs, plus the checks the tests make on them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnInfo } from "../../../src/main/postgres/conn-info.ts";
import type { LocalCluster } from "../../../src/main/postgres/local-cluster.ts";
import { countTables, listUserTables } from "../../../src/main/postgres/user-tables.ts";
import { withClient } from "../../../src/main/postgres/connect.ts";
import { createClinicalSchema, generateClinicalData } from "../../../src/main/sample/clinical-sample.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";

let seq = 0;

/** The sample database every pair is cloned from; made once per test file. */
export async function makeSampleTemplate(cluster: LocalCluster, name = "clinic_template"): Promise<string> {
  await cluster.query(`CREATE DATABASE "${name}"`);
  await createClinicalSchema(cluster.conn(name));
  await generateClinicalData(cluster.conn(name), { scale: 1, seed: 42, parallel: 1 });
  return name;
}

export interface Pair {
  production: ConnInfo;
  branch: ConnInfo;
  prodDb: string;
  branchDb: string;
}

/** Production cloned from the template, and the branch cloned from production as it is now (the recovery point). */
export async function makePair(
  cluster: LocalCluster,
  template: string,
  beforeBranch?: (production: ConnInfo) => Promise<void>,
): Promise<Pair> {
  const n = ++seq;
  const prodDb = `prod_${n}`;
  const branchDb = `branch_${n}`;
  await cluster.query(`CREATE DATABASE "${prodDb}" TEMPLATE "${template}"`);
  await beforeBranch?.(cluster.conn(prodDb));
  await cluster.query(`CREATE DATABASE "${branchDb}" TEMPLATE "${prodDb}"`);
  return { production: cluster.conn(prodDb), branch: cluster.conn(branchDb), prodDb, branchDb };
}

export async function sql(conn: ConnInfo, text: string, params: unknown[] = []): Promise<any[]> {
  return withClient(conn, async (c) => (await c.query(text, params)).rows);
}

/** md5 of every row of a table in key order: equal digests mean equal contents. */
export async function tableDigest(
  conn: ConnInfo,
  table: string,
  columns = "t.*",
  orderBy = "id",
  where = "true",
): Promise<string> {
  const r = await sql(
    conn,
    `SELECT md5(COALESCE(string_agg(ROW(${columns})::text, E'\\n' ORDER BY ${orderBy}), '')) AS h FROM ${table} t WHERE ${where}`,
  );
  return r[0].h;
}

export async function allCounts(conn: ConnInfo): Promise<Record<string, number>> {
  return withClient(conn, async (c) => {
    const tables = await listUserTables(c);
    const counts = await countTables(c, tables);
    return Object.fromEntries(tables.map((t) => [`${t.schema}.${t.table}`, counts.get(t.qualified)!]));
  });
}

/** A real journal in a temp folder, for asserting what was recorded. */
export async function tempJournal(): Promise<{ journal: OpenJournal; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "lifeboat-forensics-journal-"));
  const journal = await openJournal({ dir: join(root, "journal") });
  return {
    journal,
    cleanup: async () => {
      await journal.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
