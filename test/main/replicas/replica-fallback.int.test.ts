// The primary store goes down (its gateway killed): verify and restore use the replica, and say which copy they used.
// Its own file, because stopping the gateway ends the RGW cluster's usefulness for anything after it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { runBackup } from "../../../src/main/backup/run-backup.ts";
import { runRestore } from "../../../src/main/restore/run-restore.ts";
import { verifyBackup } from "../../../src/main/verify/verify-backup.ts";
import { rgwSkipReason } from "../../harness/rgw.ts";
import { useProtectionEnv } from "../../harness/protection-env.ts";

const skip = rgwSkipReason();

describe("the primary store down", { skip }, () => {
  const env = useProtectionEnv();

  test("verify and restore fall back to the folder replica and say so; counts proven as always", async () => {
    await env().rgw.createBucket("fallback-primary", { versioning: true });
    const usb = join(env().dir, "usb");
    await mkdir(usb);
    const profile = env().profile(env().s3("fallback-primary"), {
      replicas: [{ name: "usb", storage: { kind: "folder", path: usb } }],
    });
    const m = await runBackup(profile, env().ctx());
    assert.equal(m.replicas![0]!.copied.length, 1);

    await env().rgw.stopGateway();
    const v = await verifyBackup(profile, m.id, env().ctx());
    assert.equal(v.source!.name, "usb");
    assert.match(v.source!.fallback!, /cannot reach S3 at http:\/\/127\.0\.0\.1:\d+/);

    const r = await runRestore(profile, { id: m.id, database: "restored_from_replica" }, env().ctx());
    assert.equal(r.source!.name, "usb");
    assert.match(r.warnings[0]!, /^restored from replica "usb" \(folder:.*\): the primary store could not serve it/);
    assert.ok(r.tables.every((t) => t.ok));
    assert.equal(
      r.rows,
      m.tables.reduce((a, t) => a + t.rows, 0),
    );
    const journaled = (await env().journal.query({ kind: "restore.run", outcome: "ok", newest: true, limit: 1 }))
      .records[0]!;
    assert.equal((journaled.details.source as { name: string }).name, "usb");

    // With no replica holding it, the primary's own error stands, naming what each replica said.
    const noReplica = { ...profile, replicas: [] };
    await assert.rejects(verifyBackup(noReplica, m.id, env().ctx()), (e: any) => e.code === "STORAGE_UNREACHABLE");
  });
});
