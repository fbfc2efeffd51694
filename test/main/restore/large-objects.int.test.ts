// Large objects are part of the proof: the manifest records their number and digest (taken in the dump's snapshot),
// verify finds them in the archive byte for byte, a full restore proves them in the restored database, and a --table
// restore whose rows point at large objects it did not bring is not reported as a clean success.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { BUCKET, startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let manifest: any;

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  await env.cluster.query(
    `CREATE TABLE "Scan" (id int PRIMARY KEY, name text, document oid);
     INSERT INTO "Scan" VALUES
       (1, 'referral.pdf', lo_from_bytea(0, convert_to('%PDF-1.4 referral', 'UTF8'))),
       (2, 'empty', lo_from_bytea(0, '')),
       (3, 'xray.dcm', lo_from_bytea(0, decode(repeat('00ff7f80', 80000), 'hex')));`,
    [],
    "clinic",
  );
  const r = await env.cli(["backup", "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  manifest = r.json!.value;
});
after(async () => env?.stop());

/** The digest computed here, independently of Lifeboat: sha256 over "<oid>:<md5>\n" in oid order. */
async function digestOf(database: string): Promise<{ count: number; sha256: string }> {
  const r = await env!.cluster.query(
    "SELECT oid::text AS oid, lo_get(oid) AS bytes FROM pg_largeobject_metadata ORDER BY oid",
    [],
    database,
  );
  const h = createHash("sha256");
  for (const row of r.rows) h.update(`${row.oid}:${createHash("md5").update(row.bytes).digest("hex")}\n`);
  return { count: r.rows.length, sha256: h.digest("hex") };
}

const s3 = () => env!.s3.client();

describe("large objects", () => {
  test("the manifest records their count and digest, as computed from the source", async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(manifest.largeObjects, await digestOf("clinic"));
    assert.equal(manifest.largeObjects.count, 3);
  });

  test("verify finds every one of them in the archive; a restore brings them back byte for byte", async (t) => {
    if (skip) return t.skip(skip);
    const v = await env!.cli(["verify", manifest.id, "--json"]);
    assert.equal(v.code, 0, v.stdout);
    assert.deepEqual(v.json!.value.largeObjects, { count: 3, ok: true });
    const human = await env!.cli(["verify", manifest.id]);
    assert.match(human.stdout, /all 3 large objects are in the archive, byte for byte/);

    const r = await env!.cli(["restore", manifest.id, "--target-db", "with_scans", "--json"]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.json!.value.largeObjects, { count: 3, ok: true });
    assert.deepEqual(await digestOf("with_scans"), manifest.largeObjects);
  });

  test("a --table restore whose rows point at large objects it did not bring fails, keeping the data aside", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["restore", manifest.id, "--target-db", "scans_only", "--table", "Scan", "--json"]);
    assert.equal(r.code, 7, r.stdout);
    assert.equal(r.json!.error!.code, "LARGE_OBJECTS_MISSING");
    assert.match(r.json!.error!.message, /row counts match, but 3 rows point at large objects/);
    assert.match(r.json!.error!.message, /public\.Scan\.document \(3\)/);
    const kept = /database "(lifeboat_restoring_[0-9a-f]+)"/.exec(r.json!.error!.hint!)?.[1];
    assert.ok(kept, r.json!.error!.hint);
    const dbs = (await env!.cluster.query("SELECT datname FROM pg_database")).rows.map((x) => x.datname);
    assert.ok(!dbs.includes("scans_only"), "the target name is not given to data with dangling references");
    await env!.cluster.query(`DROP DATABASE ${kept}`);

    // A table without large-object references restores cleanly on its own.
    const ok = await env!.cli(["restore", manifest.id, "--target-db", "patients_only", "--table", "Patient", "--json"]);
    assert.equal(ok.code, 0, ok.stdout);
  });

  test("an archive whose large objects differ from the manifest fails verify and restore", async (t) => {
    if (skip) return t.skip(skip);
    const Key = `nightly/clinic/${manifest.id}/manifest.json`;
    const original = await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString();
    const edited = JSON.parse(original);
    edited.largeObjects.sha256 = "0".repeat(64);
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: JSON.stringify(edited) }));
    try {
      const v = await env!.cli(["verify", manifest.id, "--json"]);
      assert.equal(v.code, 7, v.stdout);
      assert.match(v.json!.error!.message, /large objects its manifest recorded: their contents differ/);
      const r = await env!.cli(["restore", manifest.id, "--target-db", "lo_mismatch", "--json"]);
      assert.equal(r.code, 7, r.stdout);
      assert.match(r.json!.error!.message, /NOT proven: the 3 large objects' contents differ/);
    } finally {
      await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: original }));
    }
  });

  test("--schema-only says it restored no data, instead of claiming the counts equal the manifest", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["restore", manifest.id, "--target-db", "schema_copy", "--schema-only"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = manifest.tables.reduce((a: number, x: { rows: number }) => a + x.rows, 0);
    assert.match(r.stdout, /SUCCEEDED, WITHOUT DATA/);
    assert.match(r.stdout, new RegExp(`none of the backup's ${rows} rows were restored`));
    assert.doesNotMatch(r.stdout, /row counts equal the manifest/);
  });
});
