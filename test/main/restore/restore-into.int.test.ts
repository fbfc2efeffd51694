// Restore is never reported as successful when it wasn't: pg_restore's own failure, and counts that differ from the
// manifest, each fail the restore — and a full restore into a new database, which streams through a staging database,
// never leaves anything under the target's name unless it was proven.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { connect } from "../../../src/main/postgres/connect.ts";
import { BUCKET, startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let backupId: string;
let keptStaging: string;

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  // One table owned by a role that the restore target will not have (as on Neon, whose roles differ).
  await env.cluster.query("CREATE ROLE temp_owner");
  await env.cluster.query(`ALTER TABLE "RefreshToken" OWNER TO temp_owner`, [], "clinic");
  const r = await env.cli(["backup", "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  backupId = r.json!.value.id;
  await env.cluster.query(`ALTER TABLE "RefreshToken" OWNER TO ${env.cluster.conn().user}`, [], "clinic");
  await env.cluster.query("DROP ROLE temp_owner");
});
after(async () => env?.stop());

async function databases(): Promise<string[]> {
  return (await env!.cluster.query("SELECT datname FROM pg_database ORDER BY 1")).rows.map((r) => r.datname as string);
}
const stagingLeft = async (): Promise<string[]> =>
  (await databases()).filter((d) => d.startsWith("lifeboat_restoring_"));

function s3(): S3Client {
  return new S3Client({
    endpoint: env!.s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: env!.s3.accessKeyId, secretAccessKey: env!.s3.secretAccessKey },
  });
}

/** Rewrites the stored manifest (as a manifest that does not match its object would be); returns the undo. */
async function editManifest(edit: (m: any) => void): Promise<() => Promise<void>> {
  const Key = `nightly/clinic/${backupId}/manifest.json`;
  const original = await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString();
  const m = JSON.parse(original);
  edit(m);
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: JSON.stringify(m) }));
  return async () => void (await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: original })));
}

describe("restore reports success only when it succeeded", () => {
  test("pg_restore's own failure (an owner role the target lacks) fails with its error lines and the way out; nothing is left", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["restore", backupId, "--target-db", "owner_fail", "--json"]);
    assert.equal(r.code, 7, r.stdout);
    assert.equal(r.json!.error!.code, "RESTORE_FAILED");
    assert.match(r.json!.error!.message, /role "temp_owner" does not exist/);
    assert.match(r.json!.error!.hint!, /--no-owner/);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, "no stack trace");
    assert.ok(!(await databases()).includes("owner_fail"), "the target name was never used");
    assert.deepEqual(await stagingLeft(), [], "the staging database was dropped");

    const fixed = await env!.cli(["restore", backupId, "--target-db", "owner_fail", "--no-owner", "--json"]);
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.ok(fixed.json!.value.tables.every((x: any) => x.ok));
    assert.ok((await databases()).includes("owner_fail"));
    assert.deepEqual(await stagingLeft(), []);
  });

  test("counts that differ from the manifest fail the restore; a new target's name is never given to the unproven data", async (t) => {
    if (skip) return t.skip(skip);
    const undo = await editManifest((m) => (m.tables.find((x: any) => x.table === "Patient").rows += 1));
    try {
      const r = await env!.cli(["restore", backupId, "--target-db", "count_fail", "--no-owner", "--json"]);
      assert.equal(r.code, 7, r.stdout);
      assert.equal(r.json!.error!.code, "ROWCOUNT_MISMATCH");
      assert.match(r.json!.error!.message, /NOT proven/);
      assert.match(r.json!.error!.message, /Patient: expected \d+, found \d+/);
      assert.ok(!(await databases()).includes("count_fail"), "the target name was not used");
      const kept = await stagingLeft();
      assert.equal(kept.length, 1, "the restored data was kept for inspection");
      assert.match(r.json!.error!.hint!, new RegExp(kept[0]!), "the hint names where it is");
      keptStaging = kept[0]!;

      // The same proof on the other path (an existing empty target, downloaded and checked first).
      await env!.cluster.query("CREATE DATABASE count_fail_existing");
      const r2 = await env!.cli(["restore", backupId, "--target-db", "count_fail_existing", "--no-owner", "--json"]);
      assert.equal(r2.code, 7, r2.stdout);
      assert.equal(r2.json!.error!.code, "ROWCOUNT_MISMATCH");
      assert.match(r2.json!.error!.hint!, /kept for inspection/);
    } finally {
      await undo();
    }
    // The kept staging database is named on the next restore (it may be gigabytes on a billed server), never dropped;
    // a staging database somebody is connected to (a restore in progress elsewhere) is none of its business.
    await env!.cluster.query(`CREATE DATABASE lifeboat_restoring_busy`);
    const busy = await connect(env!.cluster.conn("lifeboat_restoring_busy"));
    try {
      const good = await env!.cli(["restore", backupId, "--target-db", "count_ok", "--no-owner", "--json"]);
      assert.equal(good.code, 0, good.stdout);
      const warnings: string[] = good.json!.value.warnings;
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(
        warnings[0]!,
        new RegExp(`database "${keptStaging}" \\([\\d.]+ MiB\\) on 127\\.0\\.0\\.1 is left from an earlier restore`),
      );
      assert.match(warnings[0]!, new RegExp(`DROP DATABASE "${keptStaging}";`));
      const human = await env!.cli(["restore", backupId, "--target-db", "count_ok_2", "--no-owner"]);
      assert.match(
        human.stdout,
        /SUCCEEDED[\s\S]*note: database "lifeboat_restoring_[0-9a-f]+" .* is left from an earlier restore/,
      );
      assert.deepEqual(
        (await stagingLeft()).sort(),
        [keptStaging, "lifeboat_restoring_busy"].sort(),
        "nothing was dropped",
      );
    } finally {
      await busy.end();
    }
    await env!.cluster.query(`DROP DATABASE ${keptStaging}`);
    await env!.cluster.query(`DROP DATABASE lifeboat_restoring_busy`);
    assert.deepEqual(await stagingLeft(), []);
  });
});
